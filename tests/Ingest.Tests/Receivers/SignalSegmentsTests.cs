using System.Collections.ObjectModel;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Receivers;

public sealed class SignalSegmentsTests
{
    public static TheoryData<string, int> Shapes()
    {
        var data = new TheoryData<string, int>();
        foreach (var shape in new[] { "array", "list", "chunks", "other" })
        {
            foreach (var count in new[] { 0, 1, 512, 513, 1100, 2048 })
            {
                data.Add(shape, count);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Segments_AnyBatchShape_YieldEverySignalOnceInOrder(string shape, int count)
    {
        var source = new Signal[count];
        for (var i = 0; i < count; i++)
        {
            source[i] = new Signal(SignalKind.Span, "urn:autopilot:service:test:s" + (i % 5), i, TraceId.Empty, (ulong)i + 1, null, "op" + i, i, SignalStatus.Ok, 0, SignalAttributes.Empty);
        }

        IReadOnlyList<Signal> batch = shape switch
        {
            "array" => source,
            "list" => new List<Signal>(source),
            "chunks" => SignalChunks.CopyOf(source),
            _ => new ReadOnlyCollection<Signal>(source),
        };

        var seen = 0;
        var segments = 0;
        foreach (var segment in new SignalSegments(batch))
        {
            Assert.False(segment.IsEmpty);
            segments++;
            foreach (ref readonly var signal in segment)
            {
                Assert.Equal((ulong)seen + 1, signal.SpanId);
                Assert.Equal("op" + seen, signal.Name);
                seen++;
            }
        }

        Assert.Equal(count, seen);
        var expectedSegments = count == 0 ? 0 : shape == "chunks" ? (count + SignalChunks.ChunkSize - 1) / SignalChunks.ChunkSize : 1;
        Assert.Equal(expectedSegments, segments);
    }
}
