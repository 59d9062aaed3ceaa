using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Benchmarks.Pipeline;

/// <summary>
/// The graph every variant runs: map, filter, key, partition, fold. Every variant assigns partitions
/// with the same function Autopilot uses (stable <see cref="PartitionHash"/> of the key), so all of them
/// produce the same four partition states and the check can compare them one by one. Variants pass
/// lambdas (<c>x => Workload.Map(x)</c>), as users write them: a delegate over a static method group goes
/// through a shuffle thunk on every call, which would tax every framework for nothing.
/// </summary>
internal static class Workload
{
    public const int Partitions = 4;

    public static long Map(long x) => (x * 3) + 1;

    /// <summary>Drops every fourth mapped element (3x + 1 is a multiple of 4 when x ≡ 1 mod 4).</summary>
    public static bool Keep(long x) => x % 4 != 0;

    public static long Key(long x) => x % 1024;

    public static int PartitionOf(long key) => PartitionHash.Bucket(PartitionHash.Hash(key), Partitions);

    /// <summary>The answer, computed a different way (LINQ over the whole input) from every variant.</summary>
    public static PartitionState[] Expected(int n)
    {
        var states = Enumerable.Range(0, Partitions).Select(p => new PartitionState(p, 0, 0)).ToArray();
        foreach (var group in Enumerable.Range(0, n).Select(i => Map(i)).Where(Keep).GroupBy(x => PartitionOf(Key(x))))
        {
            states[group.Key] = new PartitionState(group.Key, group.Sum(), group.LongCount());
        }

        return states;
    }

    /// <summary>Throws when a variant's result differs from <paramref name="expected"/>, so a broken variant cannot look fast.</summary>
    public static void Verify(string variant, PartitionState[] expected, IReadOnlyList<PartitionState> actual)
    {
        if (actual.Count != expected.Length)
        {
            throw new InvalidOperationException($"{variant}: {actual.Count} partition results, expected {expected.Length}.");
        }

        var byPartition = new PartitionState[expected.Length];
        foreach (var state in actual)
        {
            byPartition[state.Partition] = state;
        }

        for (var p = 0; p < expected.Length; p++)
        {
            if (byPartition[p] != expected[p])
            {
                throw new InvalidOperationException($"{variant}: partition {p} is {byPartition[p]}, expected {expected[p]}.");
            }
        }
    }
}
