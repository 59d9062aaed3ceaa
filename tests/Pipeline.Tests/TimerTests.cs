using System.Threading.Channels;
using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Pipeline.Tests;

public sealed class TimerTests
{
    [Fact]
    public async Task GroupedWithin_EmitsAPartialGroupWhenTimeRunsOut()
    {
        var clock = new ManualTimeProvider();
        var input = Channel.CreateUnbounded<int>();
        var output = Channel.CreateUnbounded<int[]>();
        var handle = Source.FromChannel(input.Reader)
            .GroupedWithin(100, TimeSpan.FromSeconds(1))
            .To(Sink.ToChannel(output.Writer))
            .Run(new PipelineSettings { TimeProvider = clock });

        input.Writer.TryWrite(1);
        input.Writer.TryWrite(2);
        input.Writer.TryWrite(3);
        // The driver picks the elements up and then waits for data or its next tick.
        await Eventually.TrueAsync(() => clock.ArmedTimers > 0, "driver waiting on its tick timer");
        Assert.False(output.Reader.TryRead(out _));

        for (var i = 0; i < 5 && !output.Reader.TryPeek(out _); i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(300));
            await Task.Delay(20);
        }

        var group = await output.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2, 3], group);

        input.Writer.Complete();
        await Eventually.WithinAsync(handle.Completion);
    }

    [Fact]
    public async Task GroupedWithin_EmitsFullGroupsWithoutWaiting()
    {
        var clock = new ManualTimeProvider();
        var groups = await Source.Range(0, 1000)
            .GroupedWithin(100, TimeSpan.FromHours(1))
            .RunWith(Sink.Seq<long[]>(), new PipelineSettings { TimeProvider = clock, MaxBatchSize = 33 });

        Assert.Equal(10, groups.Count);
        Assert.All(groups, g => Assert.Equal(100, g.Length));
        Assert.Equal(Enumerable.Range(0, 1000).Select(x => (long)x), groups.SelectMany(g => g));
    }

    [Fact]
    public async Task GroupedWithin_FlushesTheRestOnCompletion()
    {
        var groups = await Source.Range(0, 250).GroupedWithin(100, TimeSpan.FromHours(1)).RunWith(Sink.Seq<long[]>());
        Assert.Equal([100, 100, 50], groups.Select(g => g.Length));
    }

    [Fact]
    public async Task Throttle_HoldsElementsUntilTokensAccrue()
    {
        var clock = new ManualTimeProvider();
        var output = Channel.CreateUnbounded<long>();
        var handle = Source.Range(0, 30)
            .Throttle(10, TimeSpan.FromSeconds(1), maximumBurst: 10)
            .To(Sink.ToChannel(output.Writer))
            .Run(new PipelineSettings { TimeProvider = clock });

        await Eventually.TrueAsync(() => output.Reader.Count == 10, "initial burst of 10");
        await Eventually.TrueAsync(() => clock.ArmedTimers > 0, "throttle waiting for tokens");
        Assert.Equal(10, output.Reader.Count);

        for (var i = 0; i < 50 && output.Reader.Count < 30; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(10);
        }

        await Eventually.WithinAsync(handle.Completion);
        Assert.Equal(30, output.Reader.Count);
    }

    [Fact]
    public async Task PartitionTick_FiresOnEveryPartitionEvenWhenIdle()
    {
        var clock = new ManualTimeProvider();
        var queue = new SourceQueue<long>(16);
        var output = Channel.CreateUnbounded<(int Partition, DateTimeOffset At)>();
        var handle = Source.FromQueue(queue)
            .PartitionBy(3, x => x, p => new TickReporter(), options: new PartitionOptions { TickInterval = TimeSpan.FromSeconds(10) })
            .To(Sink.ToChannel(output.Writer))
            .Run(new PipelineSettings { TimeProvider = clock });

        await Eventually.TrueAsync(() => clock.ArmedTimers >= 3, "each partition waiting on its tick timer");
        clock.Advance(TimeSpan.FromSeconds(10));

        var ticks = new HashSet<int>();
        while (ticks.Count < 3)
        {
            var tick = await output.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            ticks.Add(tick.Partition);
            Assert.Equal(clock.GetUtcNow(), tick.At);
        }

        queue.Complete();
        await Eventually.WithinAsync(handle.Completion);
    }

    private sealed class TickReporter : PartitionProcessor<long, (int, DateTimeOffset)>
    {
        public override void Process(in long element, PartitionContext<(int, DateTimeOffset)> context)
        {
        }

        public override void OnTick(DateTimeOffset now, PartitionContext<(int, DateTimeOffset)> context) => context.Emit((context.Partition, now));
    }
}
