using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Pipeline.Tests;

public sealed class SupervisionTests
{
    private sealed class BadElementException() : Exception("bad element");

    private static long FailOnMultiplesOf7(long x) => x % 7 == 0 ? throw new BadElementException() : x;

    [Fact]
    public async Task Stop_IsTheDefault_AndFailsTheGraph()
    {
        var handle = Source.Range(1, 100).Select(FailOnMultiplesOf7).To(Sink.Seq<long>()).Run();
        await Assert.ThrowsAsync<BadElementException>(() => Eventually.WithinAsync(handle.Completion));
    }

    [Fact]
    public async Task Resume_DropsOnlyTheFailingElements_AndCountsThem()
    {
        using var metrics = new MetricsRecorder("resume-test");
        var result = await Source.Range(1, 100)
            .Select(FailOnMultiplesOf7)
            .Named("checked")
            .WithDecider(Deciders.Resuming)
            .RunWith(Sink.Seq<long>(), new PipelineSettings { Name = "resume-test", MaxBatchSize = 8 });

        Assert.Equal(Enumerable.Range(1, 100).Where(x => x % 7 != 0).Select(x => (long)x), result);
        Assert.Equal(14, metrics.Sum("autopilot.pipeline.elements.dropped", stage: "checked", reason: "supervision_resume"));
    }

    [Fact]
    public async Task Restart_ResetsScanState()
    {
        var result = await Source.Range(1, 10)
            .Scan(0L, (acc, x) => x == 5 ? throw new BadElementException() : acc + x)
            .WithDecider(Deciders.Restarting)
            .RunWith(Sink.Seq<long>());

        // 1, 3, 6, 10, (5 fails: state back to 0), 6, 13, 21, 30, 40
        Assert.Equal([1, 3, 6, 10, 6, 13, 21, 30, 40], result);
    }

    [Fact]
    public async Task Resume_KeepsScanState()
    {
        var result = await Source.Range(1, 6)
            .Scan(0L, (acc, x) => x == 3 ? throw new BadElementException() : acc + x)
            .WithDecider(Deciders.Resuming)
            .RunWith(Sink.Seq<long>());

        Assert.Equal([1, 3, 7, 12, 18], result);
    }

    [Fact]
    public async Task Decider_CanChooseByExceptionType()
    {
        Decider decider = e => e is BadElementException ? Directive.Resume : Directive.Stop;
        var ok = await Source.Range(1, 20).Select(FailOnMultiplesOf7).WithDecider(decider).RunWith(Sink.Seq<long>());
        Assert.Equal(18, ok.Count);

        var handle = Source.Range(1, 20).Select(x => x == 3 ? throw new InvalidOperationException("other") : x).WithDecider(decider).To(Sink.Seq<long>()).Run();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Eventually.WithinAsync(handle.Completion));
    }

    [Fact]
    public async Task InnerDecider_WinsOverOuter()
    {
        var result = await Source.Range(1, 20)
            .Select(FailOnMultiplesOf7)
            .WithDecider(Deciders.Resuming)
            .Select(x => x)
            .WithDecider(Deciders.Stopping)
            .RunWith(Sink.Seq<long>());
        Assert.Equal(18, result.Count);
    }

    [Fact]
    public async Task SelectMany_Resume_SkipsTheWholeFailingSequence()
    {
        static IEnumerable<long> Expand(long x)
        {
            yield return x;
            if (x == 2)
            {
                throw new BadElementException();
            }

            yield return x * 10;
        }

        var result = await Source.Range(1, 3).SelectMany(Expand).WithDecider(Deciders.Resuming).RunWith(Sink.Seq<long>());
        Assert.Equal([1, 10, 2, 3, 30], result);
    }

    [Fact]
    public async Task Sink_Resume_SkipsFailingElements()
    {
        var seen = new List<long>();
        await Source.Range(1, 10)
            .RunWith(Sink.ForEach<long>(x =>
            {
                if (x == 4)
                {
                    throw new BadElementException();
                }

                seen.Add(x);
            }).WithDecider(Deciders.Resuming));
        Assert.Equal([1, 2, 3, 5, 6, 7, 8, 9, 10], seen);
    }

    [Fact]
    public async Task Partition_Restart_ReplacesOnlyThatPartitionsState()
    {
        // Keys 0..3 over 4 partitions; the processor keeps a sum per key and fails on element 500 (key 0).
        var result = await Source.Range(0, 1000)
            .PartitionBy(4, x => x % 4, _ => new SumPerKeyFailingAt500())
            .WithDecider(Deciders.Restarting)
            .RunWith(Sink.Seq<(long Key, long Sum)>());

        var failedPartition = PartitionHash.Bucket(PartitionHash.Hash(0L), 4);
        foreach (var (key, sum) in result)
        {
            var restarted = PartitionHash.Bucket(PartitionHash.Hash(key), 4) == failedPartition;
            var expected = Enumerable.Range(restarted ? 501 : 0, restarted ? 499 : 1000).Where(x => x % 4 == key).Sum(x => (long)x);
            Assert.Equal(expected, sum);
        }

        Assert.Equal([0, 1, 2, 3], result.Select(r => r.Key).Order());
    }

    [Fact]
    public async Task Partition_Resume_KeepsState()
    {
        var result = await Source.Range(0, 1000)
            .PartitionBy(4, x => x % 4, _ => new SumPerKeyFailingAt500())
            .WithDecider(Deciders.Resuming)
            .RunWith(Sink.Seq<(long Key, long Sum)>());

        foreach (var (key, sum) in result)
        {
            Assert.Equal(Enumerable.Range(0, 1000).Where(x => x % 4 == key && x != 500).Sum(x => (long)x), sum);
        }

        Assert.Equal(4, result.Count);
    }

    [Fact]
    public async Task PartitionedFold_Resume_ContinuesFromTheStateBeforeTheFailingElement()
    {
        var total = await Source.Range(0, 1000)
            .PartitionedFold(4, x => x % 4, _ => 0L, (sum, x) => x == 500 ? throw new BadElementException() : sum + x)
            .WithDecider(Deciders.Resuming)
            .RunWith(Sink.Aggregate<long, long>(0, (a, s) => a + s), new PipelineSettings { MaxBatchSize = 64 });

        Assert.Equal(Enumerable.Range(0, 1000).Where(x => x != 500).Sum(x => (long)x), total);
    }

    [Fact]
    public async Task PartitionedFold_Restart_PutsTheSeedBackInThatPartitionOnly()
    {
        var total = await Source.Range(0, 1000)
            .PartitionedFold(4, x => x % 4, _ => 0L, (sum, x) => x == 500 ? throw new BadElementException() : sum + x)
            .WithDecider(Deciders.Restarting)
            .RunWith(Sink.Aggregate<long, long>(0, (a, s) => a + s), new PipelineSettings { MaxBatchSize = 64 });

        var failedPartition = PartitionHash.Bucket(PartitionHash.Hash(500L % 4), 4);
        var expected = Enumerable.Range(0, 1000)
            .Where(x => x != 500 && (x > 500 || PartitionHash.Bucket(PartitionHash.Hash((long)x % 4), 4) != failedPartition))
            .Sum(x => (long)x);
        Assert.Equal(expected, total);
    }

    private sealed class SumPerKeyFailingAt500 : PartitionProcessor<long, (long, long)>
    {
        private readonly SortedDictionary<long, long> _sums = [];

        public override void Process(in long element, PartitionContext<(long, long)> context)
        {
            if (element == 500)
            {
                throw new BadElementException();
            }

            _sums[element % 4] = _sums.GetValueOrDefault(element % 4) + element;
        }

        public override void OnComplete(PartitionContext<(long, long)> context)
        {
            foreach (var (key, sum) in _sums)
            {
                context.Emit((key, sum));
            }
        }
    }
}
