namespace Autopilot.Engines.Hosting;

/// <summary>
/// An engine's state per URN by the URN's shard slot (<see cref="EngineContext.SlotOf"/>), in front of the engine's
/// dictionary: a dense array indexed by the slot, whose entry also holds the URN string it was set for, so a hit costs
/// one reference compare in a small array instead of hashing the whole URN and walking a dictionary's bucket and entry.
/// A miss (no slot, another instance of the same text, a slot renumbered after the shard's table started over) just
/// falls back to the dictionary. It never decides anything: the engine checks that a hit is still live (not evicted or
/// removed) and clears the cache when it replaces its state.
/// </summary>
internal sealed class UrnCache<T>
    where T : class
{
    private Entry[] _entries = new Entry[64];

    public bool TryGet(int slot, string urn, out T value)
    {
        var entries = _entries;
        if ((uint)slot < (uint)entries.Length)
        {
            ref var entry = ref entries[slot];
            if (ReferenceEquals(entry.Urn, urn))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null!;
        return false;
    }

    public void Set(int slot, string urn, T value)
    {
        if ((uint)slot >= UrnSlots.MaxSlots)
        {
            return; // no slot (a signal without URN)
        }

        if (slot >= _entries.Length)
        {
            Array.Resize(ref _entries, Math.Min(UrnSlots.MaxSlots, Math.Max(slot + 1, _entries.Length * 2)));
        }

        _entries[slot] = new Entry(urn, value);
    }

    public void Clear() => Array.Clear(_entries);

    private readonly record struct Entry(string Urn, T Value);
}
