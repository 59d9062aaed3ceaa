using System.Runtime.CompilerServices;

namespace Autopilot.Engines.Hosting;

/// <summary>
/// A cache for state kept per URN and name (a metric series, an operation's shapes), by the URN's shard slot
/// (<see cref="EngineContext.SlotOf"/>): each slot owns <see cref="Ways"/> entries side by side, searched by the identity
/// of both strings, in front of the engine's own lookup, which a miss falls back to. A service has a handful of span
/// and metric names, so its names share one or two cache lines, where a table hashed on both identities spread them
/// over a quarter of a megabyte per engine. As with <see cref="UrnCache{T}"/>, it never decides anything: the engine
/// checks that a hit is still live and clears the cache when it replaces its state.
/// </summary>
internal sealed class UrnNameCache<T>
    where T : class
{
    /// <summary>Names cached per URN; a URN with more just misses more often (and takes the engine's lookup).</summary>
    internal const int Ways = 4;

    private Entry[] _entries = new Entry[64 * Ways];

    public bool TryGet(int slot, string urn, string name, out T value)
    {
        var entries = _entries;
        var at = slot * Ways;
        if (slot >= 0 && at + Ways <= entries.Length)
        {
            for (var i = at; i < at + Ways; i++)
            {
                ref var entry = ref entries[i];
                if (ReferenceEquals(entry.Name, name) && ReferenceEquals(entry.Urn, urn))
                {
                    value = entry.Value;
                    return true;
                }
            }
        }

        value = null!;
        return false;
    }

    public void Set(int slot, string urn, string name, T value)
    {
        if ((uint)slot >= UrnSlots.MaxSlots)
        {
            return; // no slot (a signal without URN)
        }

        var at = slot * Ways;
        if (at + Ways > _entries.Length)
        {
            Array.Resize(ref _entries, Math.Min(UrnSlots.MaxSlots * Ways, Math.Max(at + Ways, _entries.Length * 2)));
        }

        // An empty entry or one of another URN (this slot's number was handed to this URN since) first; with all of
        // them this URN's, the name picks which one to replace.
        var victim = at + (int)((uint)RuntimeHelpers.GetHashCode(name) % Ways);
        for (var i = at; i < at + Ways; i++)
        {
            if (!ReferenceEquals(_entries[i].Urn, urn))
            {
                victim = i;
                break;
            }
        }

        _entries[victim] = new Entry(urn, name, value);
    }

    public void Clear() => Array.Clear(_entries);

    private readonly record struct Entry(string? Urn, string? Name, T Value);
}
