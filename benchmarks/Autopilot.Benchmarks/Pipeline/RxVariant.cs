using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace Autopilot.Benchmarks.Pipeline;

/// <summary>
/// System.Reactive as its users write it: Range, Select, Where, GroupBy the partition, and per group an
/// ObserveOn hop to the task pool (the async boundary) and an Aggregate. Rx has no backpressure: the
/// ObserveOn queues are unbounded, so a slow fold lets them grow.
/// </summary>
internal static class RxVariant
{
    public static Task<PartitionState[]> RunAsync(int n) =>
        Observable.Range(0, n)
            .Select(i => Workload.Map(i))
            .Where(x => Workload.Keep(x))
            .GroupBy(x => Workload.PartitionOf(Workload.Key(x)))
            .SelectMany(group => group
                .ObserveOn(TaskPoolScheduler.Default)
                .Aggregate(new PartitionState(group.Key, 0, 0), static (state, x) => state.Add(x)))
            .ToArray()
            .ToTask();
}
