using System.Runtime.CompilerServices;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// Shares the key array of <see cref="Signals.SignalAttributes"/> between signals with the same keys in the same
/// order (spans of one operation carry the same attribute keys): a bounded direct-mapped cache keyed by the
/// identities of the interned key strings. Safe because a <see cref="Signals.SignalAttributes"/> never changes
/// or hands out its arrays. A miss (new shape, evicted slot, key not interned) just copies the keys.
/// </summary>
internal sealed class KeyArrayCache
{
    /// <summary>Longer key lists are rare and not worth a slot.</summary>
    public const int MaxKeys = 64;

    private readonly string[]?[] _slots;
    private readonly int _mask;

    public KeyArrayCache(int capacity)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 1));
        _slots = new string[]?[size];
        _mask = size - 1;
    }

    public string[] Get(ReadOnlySpan<string> keys)
    {
        if (keys.Length > MaxKeys)
        {
            return keys.ToArray();
        }

        var hash = (uint)keys.Length;
        foreach (var key in keys)
        {
            hash = (hash ^ (uint)RuntimeHelpers.GetHashCode(key)) * 0x9E3779B1u;
        }

        ref var slot = ref _slots[(int)(hash ^ (hash >> 15)) & _mask];
        var current = Volatile.Read(ref slot);
        if (current is not null && SameKeys(current, keys))
        {
            return current;
        }

        var copy = keys.ToArray();
        Volatile.Write(ref slot, copy);
        return copy;
    }

    private static bool SameKeys(string[] cached, ReadOnlySpan<string> keys)
    {
        if (cached.Length != keys.Length)
        {
            return false;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            if (!ReferenceEquals(cached[i], keys[i]))
            {
                return false;
            }
        }

        return true;
    }
}
