using System.Threading.Tasks.Dataflow;

namespace Autopilot.Benchmarks.Pipeline;

/// <summary>
/// TPL Dataflow, one element per message as its users write it: a bounded TransformBlock for the map,
/// the filter as a link predicate (the rest linked to a NullTarget with the opposite predicate, so a full
/// partitioner postpones rather than drops), a bounded ActionBlock that routes each element with
/// SendAsync to one of four bounded ActionBlocks that fold. Every block is its own task.
/// </summary>
internal static class DataflowVariant
{
    public static async Task<PartitionState[]> RunAsync(int n, int capacity)
    {
        var bounded = new ExecutionDataflowBlockOptions { BoundedCapacity = capacity };
        var states = new PartitionState[Workload.Partitions];
        var workers = new ActionBlock<long>[Workload.Partitions];
        for (var p = 0; p < workers.Length; p++)
        {
            var partition = p;
            states[p] = new PartitionState(p, 0, 0);
            workers[p] = new ActionBlock<long>(x => states[partition] = states[partition].Add(x), bounded);
        }

        var partitioner = new ActionBlock<long>(x => workers[Workload.PartitionOf(Workload.Key(x))].SendAsync(x), bounded);
        var map = new TransformBlock<long, long>(x => Workload.Map(x), bounded);
        map.LinkTo(partitioner, new DataflowLinkOptions { PropagateCompletion = true }, x => Workload.Keep(x));
        map.LinkTo(DataflowBlock.NullTarget<long>(), x => !Workload.Keep(x));

        for (long i = 0; i < n; i++)
        {
            await map.SendAsync(i);
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
