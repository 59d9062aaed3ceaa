using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Pipeline.Tests;

public sealed class WatermarkTests
{
    private readonly record struct Event(string Key, long Time);

    /// <summary>Tumbling event-time windows of 10 units per key: counts emitted when the watermark passes the window end.</summary>
    private sealed class WindowCounter : PartitionProcessor<Event, (string Key, long WindowEnd, int Count, long EmittedAtWatermark)>
    {
        private readonly Dictionary<(string, long), int> _counts = [];

        public override void Process(in Event element, PartitionContext<(string, long, int, long)> context)
        {
            var end = ((element.Time / 10) + 1) * 10;
            var key = (element.Key, end);
            if (!_counts.TryGetValue(key, out var n))
            {
                context.RegisterEventTimer(end, _counts.Count);
            }

            _counts[key] = n + 1;
        }

        public override void OnEventTimer(long time, long tag, PartitionContext<(string, long, int, long)> context)
        {
            foreach (var ((key, end), count) in _counts.Where(kv => kv.Key.Item2 == time).ToList())
            {
                context.Emit((key, end, count, context.Watermark));
                _counts.Remove((key, end));
            }
        }
    }

    private static IEnumerable<Event> Events()
    {
        // Two keys, times 0..99, each time once per key; in order.
        for (long t = 0; t < 100; t++)
        {
            yield return new Event("a", t);
            yield return new Event("b", t);
        }
    }

    [Fact]
    public async Task EventTimers_FireWhenTheWatermarkPassesThem_NotBefore()
    {
        var result = await Source.From(Events())
            .PartitionBy(2, e => e.Key, _ => new WindowCounter(), e => e.Time, new PartitionOptions { AllowedLateness = 0 })
            .RunWith(Sink.Seq<(string Key, long WindowEnd, int Count, long EmittedAtWatermark)>(), new PipelineSettings { MaxBatchSize = 16 });

        // Windows that closed before the end of input: [0,10) .. [80,90) for each key (the last window's
        // end 100 is never passed by a watermark because the largest time is 99).
        var closed = result.OrderBy(r => r.Key).ThenBy(r => r.WindowEnd).ToList();
        Assert.Equal(18, closed.Count);
        Assert.All(closed, r => Assert.Equal(10, r.Count));
        Assert.All(closed, r => Assert.True(r.EmittedAtWatermark >= r.WindowEnd, $"window {r.WindowEnd} emitted at watermark {r.EmittedAtWatermark}"));
    }

    [Fact]
    public async Task Replay_OfTheSameEvents_GivesTheSameFindings()
    {
        async Task<List<(string, long, int, long)>> RunOnce(int batch) =>
            (await Source.From(Events())
                .PartitionBy(2, e => e.Key, _ => new WindowCounter(), e => e.Time)
                .Select(r => (r.Key, r.WindowEnd, r.Count, 0L))
                .RunWith(Sink.Seq<(string, long, int, long)>(), new PipelineSettings { MaxBatchSize = batch })).Order().ToList();

        Assert.Equal(await RunOnce(7), await RunOnce(512));
    }

    [Fact]
    public async Task Watermark_ReachesAPartitionThatGetsNoElements()
    {
        // Only key "a" has data after time 50, yet "b"'s windows must close: the watermark is sent to every partition.
        var events = Enumerable.Range(0, 50).Select(t => new Event("b", t))
            .Concat(Enumerable.Range(0, 200).Select(t => new Event("a", t)));
        var result = await Source.From(events)
            .PartitionBy(8, e => e.Key, _ => new WindowCounter(), e => e.Time)
            .RunWith(Sink.Seq<(string Key, long WindowEnd, int Count, long EmittedAtWatermark)>(), new PipelineSettings { MaxBatchSize = 16 });

        Assert.Equal(5, result.Count(r => r.Key == "b"));
    }

    [Fact]
    public async Task AllowedLateness_HoldsTheWatermarkBack()
    {
        var late = new PartitionOptions { AllowedLateness = 15 };
        var result = await Source.From(Events())
            .PartitionBy(1, e => e.Key, _ => new WindowCounter(), e => e.Time, late)
            .RunWith(Sink.Seq<(string Key, long WindowEnd, int Count, long EmittedAtWatermark)>());

        // Largest time 99 − 15 = 84: windows ending at 10..80 close, 90 and 100 do not.
        Assert.Equal(16, result.Count);
        Assert.Equal(80, result.Max(r => r.WindowEnd));
    }
}
