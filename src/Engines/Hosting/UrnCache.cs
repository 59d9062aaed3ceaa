using System.Runtime.CompilerServices;

namespace Autopilot.Engines.Hosting;

/// <summary>
/// A direct-mapped cache from the identity of a URN string to an engine's state for it, in front of the engine's
/// dictionary: a stream repeats the same URN instances, so a hit costs the string's identity hash and one entry
/// instead of hashing the whole URN and walking a dictionary's bucket and entry. A miss (another instance of the same
/// text, or a collision) just falls back to the dictionary. It never decides anything: the engine checks that a hit
/// is still live (not evicted or removed) and clears the cache when it replaces its state.
/// </summary>
internal sealed class UrnCache<T>
    where T : class
{
    // At n URNs in m slots about e^(-n/m) of them sit alone (the others evict each other), so m is several times
    // the URNs a shard usually sees; only the slots in use are touched, so a large table costs little cache.
    internal const int Size = 16_384;
    private readonly Entry[] _entries = new Entry[Size];

    public bool TryGet(string urn, out T value)
    {
        ref var entry = ref _entries[Index(urn)];
        if (ReferenceEquals(entry.Urn, urn))
        {
            value = entry.Value;
            return true;
        }

        value = null!;
        return false;
    }

    public void Set(string urn, T value) => _entries[Index(urn)] = new Entry(urn, value);

    public void Clear() => Array.Clear(_entries);

    private static int Index(string urn) => (int)((uint)RuntimeHelpers.GetHashCode(urn) % Size);

    private readonly record struct Entry(string Urn, T Value);
}
