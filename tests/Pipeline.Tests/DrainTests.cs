namespace Autopilot.Pipeline.Tests;

public sealed class DrainTests
{
    [Fact]
    public async Task Drain_ProcessesEverythingAlreadyQueued_ThenCompletes()
    {
        var queue = new SourceQueue<int>(10_000);
        for (var i = 0; i < 5000; i++)
        {
            Assert.Equal(QueueOfferResult.Enqueued, queue.TryOffer(i));
        }

        var handle = Source.FromQueue(queue)
            .Async(capacity: 64)
            .PartitionedFold(4, x => x, _ => 0L, (acc, x) => acc + x)
            .To(Sink.Aggregate<long, long>(0, (a, x) => a + x))
            .Run();

        Assert.True(await handle.DrainAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(Enumerable.Range(0, 5000).Sum(x => (long)x), await handle.Materialized);
        Assert.Equal(QueueOfferResult.QueueClosed, queue.TryOffer(1));
    }

    [Fact]
    public async Task Shutdown_StopsAnEndlessSource_AndFlushesInFlightBatches()
    {
        long produced = 0;
        var handle = Source.Range(0, long.MaxValue)
            .Select(x =>
            {
                Interlocked.Increment(ref produced);
                return x;
            })
            .Async(capacity: 256)
            .To(Sink.Aggregate<long, long>(0, (count, _) => count + 1))
            .Run();

        await Eventually.TrueAsync(() => Interlocked.Read(ref produced) > 100_000, "producer running");
        Assert.True(await handle.DrainAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(Interlocked.Read(ref produced), await handle.Materialized);
    }

    [Fact]
    public async Task Drain_PastItsDeadline_AbortsAndReportsFalse()
    {
        var clock = new ManualTimeProvider();
        using var never = new SemaphoreSlim(0);
        var queue = new SourceQueue<int>(10);
        queue.TryOffer(1);
        var handle = Source.FromQueue(queue)
            .To(Sink.ForEachBatch<int>(async (_, ct) => await never.WaitAsync(ct)))
            .Run();

        var drain = handle.DrainAsync(TimeSpan.FromSeconds(5), clock);
        await Eventually.TrueAsync(() => clock.ArmedTimers > 0, "drain waiting on its deadline");
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.False(await Eventually.WithinAsync(drain));
        await Assert.ThrowsAsync<TimeoutException>(() => Eventually.WithinAsync(handle.Completion));
    }

    [Fact]
    public async Task ShutdownOfAChannelSource_StopsReadingAtOnce()
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<int>();
        var handle = Source.FromChannel(channel.Reader).To(Sink.Seq<int>()).Run();
        channel.Writer.TryWrite(1);
        await Eventually.TrueAsync(() => channel.Reader.Count == 0, "element taken");
        Assert.True(await handle.DrainAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([1], await handle.Materialized);
    }
}
