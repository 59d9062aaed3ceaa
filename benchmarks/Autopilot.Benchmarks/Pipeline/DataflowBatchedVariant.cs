using System.Threading.Tasks.Dataflow;

namespace Autopilot.Benchmarks.Pipeline;

/// <summary>
/// TPL Dataflow with batches of 512 elements per message (the fair comparison: Autopilot moves batches
/// too). The source fills a new array per batch, the map block maps and filters it in place, the
/// partitioner splits it into one new array per partition. Bounded to the same number of elements per
/// block as Autopilot's buffers.
/// </summary>
internal static class DataflowBatchedVariant
{
    public const int BatchSize = 512;

    public static async Task<PartitionState[]> RunAsync(int n, int capacityInElements)
    {
        var bounded = new ExecutionDataflowBlockOptions { BoundedCapacity = Math.Max(1, capacityInElements / BatchSize) };
        var states = new PartitionState[Workload.Partitions];
        var workers = new ActionBlock<ArraySegment<long>>[Workload.Partitions];
        for (var p = 0; p < workers.Length; p++)
        {
            var partition = p;
            states[p] = new PartitionState(p, 0, 0);
            workers[p] = new ActionBlock<ArraySegment<long>>(
                batch =>
                {
                    var state = states[partition];
                    foreach (var x in batch.AsSpan())
                    {
                        state = state.Add(x);
                    }

                    states[partition] = state;
                },
                bounded);
        }

        var partitioner = new ActionBlock<ArraySegment<long>>(
            async batch =>
            {
                var parts = new long[Workload.Partitions][];
                var counts = new int[Workload.Partitions];
                foreach (var x in batch.AsSpan())
                {
                    var p = Workload.PartitionOf(Workload.Key(x));
                    var part = parts[p] ??= new long[batch.Count];
                    part[counts[p]++] = x;
                }

                for (var p = 0; p < parts.Length; p++)
                {
                    if (counts[p] > 0)
                    {
                        await workers[p].SendAsync(new ArraySegment<long>(parts[p], 0, counts[p]));
                    }
                }
            },
            bounded);

        var map = new TransformBlock<long[], ArraySegment<long>>(
            batch =>
            {
                var kept = 0;
                foreach (var x in batch)
                {
                    var y = Workload.Map(x);
                    if (Workload.Keep(y))
                    {
                        batch[kept++] = y;
                    }
                }

                return new ArraySegment<long>(batch, 0, kept);
            },
            bounded);
        map.LinkTo(partitioner, new DataflowLinkOptions { PropagateCompletion = true });

        for (long start = 0; start < n; start += BatchSize)
        {
            var batch = new long[Math.Min(BatchSize, n - start)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = start + i;
            }

            await map.SendAsync(batch);
        }

        map.Complete();
        await partitioner.Completion;
        foreach (var worker in workers)
        {
            worker.Complete();
        }

        await Task.WhenAll(workers.Select(w => w.Completion));
        return states;
    }
}
