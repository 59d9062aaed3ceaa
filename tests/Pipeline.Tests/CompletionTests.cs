namespace Autopilot.Pipeline.Tests;

public sealed class CompletionTests
{
    private sealed class BoomException(string message) : Exception(message);

    [Fact]
    public async Task FailedSource_FailsCompletionAndMaterializedValue()
    {
        var handle = Source.Failed<int>(new BoomException("source")).Select(x => x + 1).Async().To(Sink.Seq<int>()).Run();
        var e = await Assert.ThrowsAsync<BoomException>(() => Eventually.WithinAsync(handle.Completion));
        Assert.Equal("source", e.Message);
        await Assert.ThrowsAsync<BoomException>(() => handle.Materialized);
    }

    [Fact]
    public async Task ThrowingEnumerable_FailsTheGraph()
    {
        static IEnumerable<int> Items()
        {
            yield return 1;
            throw new BoomException("enumerable");
        }

        var handle = Source.From(Items()).Async().To(Sink.Seq<int>()).Run();
        await Assert.ThrowsAsync<BoomException>(() => Eventually.WithinAsync(handle.Completion));
    }

    [Fact]
    public async Task StageFailureDownstreamOfABoundary_StopsTheUpstreamProducer()
    {
        long produced = 0;
        var handle = Source.Range(0, long.MaxValue)
            .Select(x =>
            {
                Interlocked.Increment(ref produced);
                return x;
            })
            .Async(capacity: 64)
            .Select(x => x == 10_000 ? throw new BoomException("stage") : x)
            .To(Sink.Ignore<long>())
            .Run();

        await Assert.ThrowsAsync<BoomException>(() => Eventually.WithinAsync(handle.Completion));
        var after = Interlocked.Read(ref produced);
        await Task.Delay(100);
        Assert.Equal(after, Interlocked.Read(ref produced));
    }

    [Fact]
    public async Task FailingChannel_PropagatesItsError()
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<int>();
        var handle = Source.FromChannel(channel.Reader).To(Sink.Seq<int>()).Run();
        channel.Writer.TryWrite(1);
        channel.Writer.Complete(new BoomException("channel"));
        var e = await Assert.ThrowsAsync<BoomException>(() => Eventually.WithinAsync(handle.Completion));
        Assert.Equal("channel", e.Message);
    }

    [Fact]
    public async Task Abort_FailsAnEndlessGraphWithTheGivenError()
    {
        var handle = Source.Range(0, long.MaxValue).Async().Select(x => x * 2).To(Sink.Ignore<long>()).Run();
        handle.KillSwitch.Abort(new BoomException("abort"));
        var e = await Assert.ThrowsAsync<BoomException>(() => Eventually.WithinAsync(handle.Completion));
        Assert.Equal("abort", e.Message);
    }

    [Fact]
    public async Task Completion_ReachesTheSinkThroughEveryStageKind()
    {
        var result = await Source.Range(0, 10_000)
            .Async(capacity: 100)
            .Select(x => x % 100)
            .GroupedWithin(7, TimeSpan.FromSeconds(10))
            .SelectMany(g => g)
            .PartitionedFold(3, x => x, _ => 0L, (acc, x) => acc + x)
            .Async()
            .RunWith(Sink.Aggregate<long, long>(0, (a, x) => a + x));

        Assert.Equal(Enumerable.Range(0, 10_000).Sum(x => (long)(x % 100)), result);
    }

    [Fact]
    public async Task FailureInOnePartition_FailsTheGraph()
    {
        var handle = Source.Range(0, 100_000)
            .PartitionBy(4, x => x, p => new ThrowingProcessor(p))
            .To(Sink.Ignore<long>())
            .Run();

        var e = await Assert.ThrowsAsync<BoomException>(() => Eventually.WithinAsync(handle.Completion));
        Assert.StartsWith("partition", e.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingProcessor(int partition) : Autopilot.Pipeline.Partitioning.PartitionProcessor<long, long>
    {
        public override void Process(in long element, Autopilot.Pipeline.Partitioning.PartitionContext<long> context)
        {
            if (element == 77_777)
            {
                throw new BoomException($"partition {partition}");
            }

            context.Emit(element);
        }
    }
}
