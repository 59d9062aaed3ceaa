using System.Collections.Concurrent;
using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Pipeline.Tests;

public sealed class PartitionTests
{
    private sealed class OrderRecorder(ConcurrentDictionary<long, List<long>> seen, ConcurrentDictionary<long, int> partitionOfKey) : PartitionProcessor<(long Key, long Seq), long>
    {
        public override void Process(in (long Key, long Seq) element, PartitionContext<long> context)
        {
            seen.GetOrAdd(element.Key, _ => []).Add(element.Seq);
            partitionOfKey.AddOrUpdate(element.Key, context.Partition, (_, p) => p == context.Partition ? p : -1);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    public async Task PartitionBy_KeepsOrderPerKey_AndEachKeyInOnePartition(int partitions)
    {
        var seen = new ConcurrentDictionary<long, List<long>>();
        var partitionOfKey = new ConcurrentDictionary<long, int>();
        await Source.Range(0, 200_000)
            .Select(i => (Key: (i * 7919) % 97, Seq: i))
            .Async(capacity: 512)
            .PartitionBy(partitions, e => e.Key, _ => new OrderRecorder(seen, partitionOfKey), options: new PartitionOptions { BufferCapacity = 256 })
            .RunWith(Sink.Ignore<long>(), new PipelineSettings { MaxBatchSize = 64 });

        Assert.Equal(97, seen.Count);
        Assert.Equal(200_000, seen.Values.Sum(v => v.Count));
        foreach (var (_, seqs) in seen)
        {
            Assert.True(seqs.SequenceEqual(seqs.Order()), "elements of a key arrived out of order");
        }

        Assert.DoesNotContain(-1, partitionOfKey.Values);
        Assert.All(partitionOfKey, kv => Assert.Equal(PartitionHash.Bucket(PartitionHash.Hash(kv.Key), partitions), kv.Value));
    }

    [Fact]
    public async Task PartitionedFold_RunsPartitionsInParallelAndSumsEverything()
    {
        var threads = new ConcurrentDictionary<int, byte>();
        var total = await Source.Range(0, 1_000_000)
            .PartitionedFold(4, x => x, _ => 0L, (acc, x) =>
            {
                threads.TryAdd(Environment.CurrentManagedThreadId, 0);
                return acc + x;
            })
            .RunWith(Sink.Aggregate<long, long>(0, (a, x) => a + x));

        Assert.Equal(499_999_500_000L, total);
    }

    [Fact]
    public async Task Emit_CanProduceMoreThanABatchPerElement()
    {
        var result = await Source.Range(0, 10)
            .PartitionBy(2, x => x, _ => new Repeater(1000))
            .RunWith(Sink.Aggregate<long, long>(0, (n, _) => n + 1), new PipelineSettings { MaxBatchSize = 64 });
        Assert.Equal(10_000, result);
    }

    private sealed class Repeater(int times) : PartitionProcessor<long, long>
    {
        public override void Process(in long element, PartitionContext<long> context)
        {
            for (var i = 0; i < times; i++)
            {
                context.Emit(element);
            }
        }
    }

    [Fact]
    public void Options_RejectNonsense()
    {
        Assert.Throws<ArgumentException>(() => Source.Range(0, 1).PartitionBy(2, x => x, _ => new Repeater(1), options: new PartitionOptions { BufferCapacity = 0 }));
        Assert.Throws<ArgumentException>(() => Source.Range(0, 1).PartitionBy(2, x => x, _ => new Repeater(1), options: new PartitionOptions { AllowedLateness = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Source.Range(0, 1).PartitionBy(0, x => x, _ => new Repeater(1)));
    }
}
