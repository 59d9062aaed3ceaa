using System.Runtime.CompilerServices;

namespace Autopilot.Engines.Hosting;

/// <summary>
/// A cache for state kept per URN and name (a metric series, an operation's shapes): direct-mapped
/// on the identity of both strings, in front of the engine's own lookup, which a miss falls back to. As there, it
/// never decides anything: the engine checks that a hit is still live and clears the cache when it replaces its state.
/// </summary>
internal sealed class UrnNameCache<T>
    where T : class
{
    // At n keys in m slots about e^(-n/m) of them sit alone (the others evict each other), so m is several times
    // the keys a shard usually sees; only the slots in use are touched, so a large table costs little cache.
    private const int Size = 16_384;
    private readonly Entry[] _entries = new Entry[Size];

    public bool TryGet(string urn, string name, out T value)
    {
        ref var entry = ref _entries[Index(urn, name)];
        if (ReferenceEquals(entry.Urn, urn) && ReferenceEquals(entry.Name, name))
        {
            value = entry.Value;
            return true;
        }

        value = null!;
        return false;
    }

    public void Set(string urn, string name, T value) => _entries[Index(urn, name)] = new Entry(urn, name, value);

    public void Clear() => Array.Clear(_entries);

    private static int Index(string urn, string name) =>
        (int)((uint)(RuntimeHelpers.GetHashCode(urn) ^ (RuntimeHelpers.GetHashCode(name) * -1640531527)) % Size);

    private readonly record struct Entry(string Urn, string Name, T Value);
}
