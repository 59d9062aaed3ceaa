namespace Autopilot.Benchmarks.Pipeline;

/// <summary>The ceiling: map, filter, key and fold in one loop on one thread, no buffers.</summary>
internal static class FusedLoopVariant
{
    public static PartitionState[] Run(int n)
    {
        var states = new PartitionState[Workload.Partitions];
        for (var p = 0; p < states.Length; p++)
        {
            states[p] = new PartitionState(p, 0, 0);
        }

        for (long x = 0; x < n; x++)
        {
            var y = Workload.Map(x);
            if (!Workload.Keep(y))
            {
                continue;
            }

            var partition = Workload.PartitionOf(Workload.Key(y));
            states[partition] = states[partition].Add(y);
        }

        return states;
    }
}
