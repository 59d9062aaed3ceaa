using System.Threading.Channels;

namespace Autopilot.Pipeline.Tests;

public sealed class OperatorTests
{
    public static TheoryData<int, int> Sizes => new()
    {
        { 1, 1 }, { 10, 3 }, { 10_000, 512 }, { 10_000, 7 }, { 100_000, 64 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task SelectWhere_AcrossBoundary_MatchesLinq(int count, int batch)
    {
        var settings = new PipelineSettings { MaxBatchSize = batch };
        var result = await Source.Range(0, count)
            .Select(x => x * 3)
            .Async(capacity: 16)
            .Where(x => x % 2 == 0)
            .RunWith(Sink.Seq<long>(), settings);

        Assert.Equal(Enumerable.Range(0, count).Select(x => (long)x * 3).Where(x => x % 2 == 0), result);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Scan_EmitsRunningState(int count, int batch)
    {
        var settings = new PipelineSettings { MaxBatchSize = batch };
        var result = await Source.Range(1, count).Scan(0L, (acc, x) => acc + x).RunWith(Sink.Seq<long>(), settings);

        Assert.Equal(count, result.Count);
        Assert.Equal((long)count * (count + 1) / 2, result[^1]);
        Assert.Equal(1, result[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(512)]
    public async Task SelectMany_ExpandsArraysAndLazySequences_InOrder(int batch)
    {
        var settings = new PipelineSettings { MaxBatchSize = batch };
        var result = await Source.Range(0, 300)
            .SelectMany(x => x % 2 == 0 ? new[] { x, x, x } : Enumerable.Repeat(x, (int)(x % 7)))
            .RunWith(Sink.Seq<long>(), settings);

        var expected = Enumerable.Range(0, 300).SelectMany(x => x % 2 == 0 ? new long[] { x, x, x } : Enumerable.Repeat((long)x, x % 7));
        Assert.Equal(expected, result);
    }

    [Fact]
    public async Task Via_ComposesAReusableFlow()
    {
        var flow = Flow.Create<long>().Select(x => x + 1).Where(x => x % 10 == 0).Select(x => x.ToString());
        var result = await Source.Range(0, 100).Via(flow).RunWith(Sink.Seq<string>());
        Assert.Equal(["10", "20", "30", "40", "50", "60", "70", "80", "90", "100"], result);
    }

    [Fact]
    public async Task FlowTo_BuildsASinkThatRunsTheFlowFirst()
    {
        var sink = Flow.Create<long>().Select(x => x * 2).To(Sink.Aggregate<long, long>(0, (a, x) => a + x));
        Assert.Equal(2 * 4950, await Source.Range(0, 100).RunWith(sink));
    }

    [Fact]
    public async Task Merge_DeliversEverythingAndKeepsOrderPerSource()
    {
        var a = Source.Range(0, 50_000).Select(x => ("a", x));
        var b = Source.Range(0, 30_000).Select(x => ("b", x));
        var c = Source.Range(0, 20_000).Select(x => ("c", x));
        var result = await Source.Merge(capacity: 256, a, b, c).RunWith(Sink.Seq<(string, long)>());

        Assert.Equal(100_000, result.Count);
        foreach (var group in result.GroupBy(r => r.Item1))
        {
            var values = group.Select(r => r.Item2).ToList();
            Assert.Equal(Enumerable.Range(0, values.Count).Select(x => (long)x), values);
        }
    }

    [Fact]
    public async Task AlsoTo_BroadcastsEveryElementToBothSinks()
    {
        long side = 0;
        var main = await Source.Range(1, 1000)
            .AlsoTo(Sink.ForEach<long>(x => side += x))
            .RunWith(Sink.Aggregate<long, long>(0, (a, x) => a + x));

        Assert.Equal(500_500, main);
        Assert.Equal(500_500, side);
    }

    [Fact]
    public async Task FlowAlsoTo_BroadcastsEveryElementToBothSinks()
    {
        long side = 0;
        var sink = Flow.Create<long>()
            .Select(x => x * 2)
            .AlsoTo(Sink.ForEach<long>(x => side += x))
            .To(Sink.Aggregate<long, long>(0, (a, x) => a + x));

        var main = await Source.Range(1, 1000).RunWith(sink);

        Assert.Equal(1_001_000, main);
        Assert.Equal(1_001_000, side);
    }

    [Fact]
    public async Task ForEachBatch_OnComplete_RunsOnceAfterTheLastBatch()
    {
        long seen = 0;
        long seenAtCompletion = -1;
        var completions = 0;
        var handle = Source.Range(1, 5000)
            .To(Sink.ForEachBatch<long>(
                (batch, _) =>
                {
                    seen += batch.Length;
                    return ValueTask.CompletedTask;
                },
                _ =>
                {
                    completions++;
                    seenAtCompletion = seen;
                    return ValueTask.CompletedTask;
                }))
            .Run();

        await Eventually.WithinAsync(handle.Materialized);

        Assert.Equal(1, completions);
        Assert.Equal(5000, seenAtCompletion);
    }

    [Fact]
    public async Task FromChannel_EmitsUntilTheChannelCompletes()
    {
        var channel = Channel.CreateUnbounded<int>();
        var handle = Source.FromChannel(channel.Reader).To(Sink.Seq<int>()).Run();
        for (var i = 0; i < 1000; i++)
        {
            await channel.Writer.WriteAsync(i);
        }

        channel.Writer.Complete();
        Assert.Equal(Enumerable.Range(0, 1000), await Eventually.WithinAsync(handle.Materialized));
        await handle.Completion;
    }

    [Fact]
    public async Task FromAsyncEnumerable_EmitsEverything()
    {
        static async IAsyncEnumerable<int> Numbers()
        {
            for (var i = 0; i < 2000; i++)
            {
                if (i % 500 == 0)
                {
                    await Task.Yield();
                }

                yield return i;
            }
        }

        var result = await Source.FromAsyncEnumerable(Numbers()).RunWith(Sink.Seq<int>());
        Assert.Equal(Enumerable.Range(0, 2000), result);
    }

    [Fact]
    public async Task ToChannel_WritesAndCompletesTheChannel()
    {
        var channel = Channel.CreateBounded<long>(4);
        var handle = Source.Range(0, 100).To(Sink.ToChannel(channel.Writer)).Run();
        var received = new List<long>();
        await foreach (var x in channel.Reader.ReadAllAsync())
        {
            received.Add(x);
        }

        await handle.Completion;
        Assert.Equal(Enumerable.Range(0, 100).Select(x => (long)x), received);
    }

    [Fact]
    public async Task Queue_OffersAreProcessedAndResultsReported()
    {
        var queue = new SourceQueue<int>(capacity: 8);
        var handle = Source.FromQueue(queue).Select(x => x * 2).To(Sink.Seq<int>()).Run();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(QueueOfferResult.Enqueued, await queue.OfferAsync(i));
        }

        queue.Complete();
        Assert.Equal(QueueOfferResult.QueueClosed, await queue.OfferAsync(1));
        Assert.Equal(Enumerable.Range(0, 100).Select(x => x * 2), await handle.Materialized);
    }

    [Fact]
    public void Queue_AttachedToTwoRuns_Throws()
    {
        var queue = new SourceQueue<int>(4);
        var source = Source.FromQueue(queue);
        source.To(Sink.Ignore<int>()).Run();
        Assert.Throws<InvalidOperationException>(() => source.To(Sink.Ignore<int>()).Run());
        queue.Complete();
    }

    [Fact]
    public async Task Graph_CanRunTwice_Independently()
    {
        var graph = Source.Range(0, 1000).Select(x => x + 1).To(Sink.Aggregate<long, long>(0, (a, x) => a + x));
        var first = graph.Run();
        var second = graph.Run();
        Assert.Equal(500_500, await first.Materialized);
        Assert.Equal(500_500, await second.Materialized);
    }

    [Fact]
    public void Operators_RejectBadArguments()
    {
        var source = Source.Range(0, 1);
        Assert.Throws<ArgumentNullException>(() => source.Select<int>(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.GroupedWithin(0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.GroupedWithin(1, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Async(capacity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Throttle(0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentException>(() => Source.Range(0, 1).To(Sink.Ignore<long>()).Run(new PipelineSettings { MaxBatchSize = 0 }));
    }
}
