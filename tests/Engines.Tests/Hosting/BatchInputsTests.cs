using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Tests.Hosting;

public sealed class BatchInputsTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 0)]
    [InlineData(0, 4)]
    [InlineData(1100, 4)]
    public void Inputs_AreTheSignalsInOrderThenOneBarrierPerShard(int signals, int barrierShards)
    {
        var source = new List<Signal>();
        for (var i = 0; i < signals; i++)
        {
            source.Add(new Signal(SignalKind.Span, "urn:autopilot:service:test:s" + (i % 3), i, TraceId.Empty, (ulong)i + 1, null, "op", 1, SignalStatus.Ok, 0, SignalAttributes.Empty));
        }

        var inputs = new BatchInputs(new IngestBatch(42, IngestSignal.Traces, source), barrierShards);

        Assert.Equal(signals + barrierShards, inputs.Count);
        var read = inputs.ToList();
        Assert.Equal(inputs.Count, read.Count);
        for (var i = 0; i < signals; i++)
        {
            Assert.False(read[i].IsBarrier);
            Assert.Equal(42, read[i].Lsn);
            Assert.Equal((ulong)i + 1, read[i].Signal.SpanId);
        }

        for (var shard = 0; shard < barrierShards; shard++)
        {
            var barrier = inputs[signals + shard];
            Assert.True(barrier.IsBarrier);
            Assert.Equal(shard, barrier.BarrierShard);
            Assert.Equal(42, barrier.Lsn);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => inputs[inputs.Count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => inputs[-1]);
    }
}
