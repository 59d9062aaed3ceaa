using Autopilot.Pipeline;

namespace Autopilot.Benchmarks.Pipeline;

/// <summary>The graph in Autopilot.Pipeline, as its tests and users write it, with default settings.</summary>
internal static class AutopilotVariant
{
    public static Task<PartitionState[]> RunAsync(int n) =>
        Source.Range(0, n)
            .Select(x => Workload.Map(x))
            .Where(x => Workload.Keep(x))
            .Async()
            .PartitionedFold(Workload.Partitions, x => Workload.Key(x), p => new PartitionState(p, 0, 0), static (state, x) => state.Add(x))
            .RunWith(Sink.Aggregate<PartitionState, PartitionState[]>(new PartitionState[Workload.Partitions], static (all, state) =>
            {
                all[state.Partition] = state;
                return all;
            }));
}
