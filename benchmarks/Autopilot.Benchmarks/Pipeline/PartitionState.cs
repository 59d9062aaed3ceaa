namespace Autopilot.Benchmarks.Pipeline;

/// <summary>The per-partition fold state: a struct, so folding allocates nothing in any variant.</summary>
public readonly record struct PartitionState(int Partition, long Sum, long Count)
{
    public PartitionState Add(long value) => new(Partition, Sum + value, Count + 1);
}
