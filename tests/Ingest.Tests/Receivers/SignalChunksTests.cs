using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Receivers;

public sealed class SignalChunksTests
{
    [Fact]
    public void ChunkBytes_StaysBelowTheLargeObjectHeapThreshold()
    {
        // The point of the chunks: an array of 85,000 bytes or more (header included) goes to the large-object heap.
        Assert.True(SignalChunks.ChunkBytes + 32 < 85_000, $"{SignalChunks.ChunkBytes} bytes per chunk");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(1024)]
    [InlineData(1100)]
    [InlineData(10_000)]
    public void CopyOf_AnyCount_SameSignalsInOrderAndNotShared(int count)
    {
        var source = new Signal[count];
        for (var i = 0; i < count; i++)
        {
            source[i] = new Signal(SignalKind.Span, "urn:autopilot:service:test:s" + (i % 7), i, TraceId.Empty, (ulong)i + 1, null, "op" + i, i * 0.5, SignalStatus.Ok, 0, SignalAttributes.Empty);
        }

        var copy = SignalChunks.CopyOf(source);
        Array.Fill(source, default);

        Assert.Equal(count, copy.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal((ulong)i + 1, copy[i].SpanId);
            Assert.Equal("op" + i, copy[i].Name);
        }

        var enumerated = 0;
        foreach (var signal in copy)
        {
            Assert.Equal((ulong)enumerated + 1, signal.SpanId);
            enumerated++;
        }

        Assert.Equal(count, enumerated);
        Assert.Throws<ArgumentOutOfRangeException>(() => copy[count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => copy[-1]);
    }
}
