namespace Autopilot.Pipeline.Partitioning;

/// <summary>
/// Stable key → partition mapping: the same key lands in the same partition in every process and on
/// every run (string hashing in .NET is randomized per process, so it is not used). Jump consistent
/// hashing moves only about 1/n of the keys when the partition count changes from n-1 to n.
/// </summary>
public static class PartitionHash
{
    /// <summary>FNV-1a over the UTF-16 code units of <paramref name="key"/>, 64 bits.</summary>
    public static ulong Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>A stable 64-bit hash of <paramref name="key"/>: FNV-1a for strings, a mix of the value's own hash otherwise.</summary>
    /// <remarks>For types other than strings, the value's <see cref="object.GetHashCode"/> must itself be stable across processes (true for integers, enums, Guid).</remarks>
    public static ulong Hash<TKey>(TKey key)
    {
        if (key is string s)
        {
            return Hash(s);
        }

        if (typeof(TKey) == typeof(long))
        {
            return Mix((ulong)(long)(object)key!);
        }

        if (typeof(TKey) == typeof(ulong))
        {
            return Mix((ulong)(object)key!);
        }

        return Mix((ulong)(uint)EqualityComparer<TKey>.Default.GetHashCode(key!));
    }

    /// <summary>Partition in [0, <paramref name="partitions"/>) for a key hash (Lamping and Veach, 2014).</summary>
    public static int Bucket(ulong hash, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        long b = -1;
        long j = 0;
        var key = hash;
        while (j < partitions)
        {
            b = j;
            key = (key * 2862933555777941757UL) + 1;
            j = (long)((b + 1) * ((double)(1L << 31) / ((key >> 33) + 1)));
        }

        return (int)b;
    }

    // SplitMix64 finalizer: spreads small integers over all 64 bits before bucketing.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
