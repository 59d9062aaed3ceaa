namespace Autopilot.Engines.Anomaly;

/// <summary>
/// A capped map from string keys to per-series state that evicts the least recently touched entry.
/// Lookups take a span, so a hot path can look a series up without building its key string.
/// </summary>
/// <remarks>
/// The recency order is a doubly linked list of indexes inside one array of slots rather than
/// <see cref="LinkedList{T}"/> nodes: a touch rewrites a few <c>int</c>s in slots of the same array instead of
/// five object references across three heap nodes (each store a GC write barrier, each node a cache line).
/// Enumerate with <see cref="Oldest"/> and <see cref="Newer"/>; an index stays valid until its entry is
/// removed or evicted.
/// </remarks>
internal sealed class LruMap<TValue>
    where TValue : class
{
    /// <summary>No entry: the end of an enumeration, or an empty map.</summary>
    public const int None = -1;

    private const int InitialSlots = 16;

    private readonly Dictionary<string, int> _map = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private Slot[] _slots = [];
    private int _used; // slots handed out so far; the free list holds removed ones below this
    private int _free = None;
    private int _newest = None;
    private int _oldest = None;

    public LruMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Capacity { get; }

    public int Count => _map.Count;

    /// <summary>Entries evicted to stay within <see cref="Capacity"/>.</summary>
    public long Evicted { get; private set; }

    /// <summary>The least recently touched entry's index, or <see cref="None"/>; re-adding from here rebuilds the same recency.</summary>
    public int Oldest => _oldest;

    /// <summary>The entry touched next after the one at <paramref name="index"/>, or <see cref="None"/> after the newest.</summary>
    public int Newer(int index) => _slots[index].Newer;

    public TValue ValueAt(int index) => _slots[index].Value!;

    public string KeyAt(int index) => _slots[index].Key!;

    public bool TryGet(ReadOnlySpan<char> key, out TValue value) => TryGet(key, out value, out _);

    /// <summary>Looks an entry up and makes it the most recent; <paramref name="index"/> can touch it again with <see cref="Touch"/>.</summary>
    public bool TryGet(ReadOnlySpan<char> key, out TValue value, out int index)
    {
        if (_lookup.TryGetValue(key, out index))
        {
            Touch(index);
            value = _slots[index].Value!;
            return true;
        }

        value = null!;
        index = None;
        return false;
    }

    /// <summary>Makes the entry at <paramref name="index"/> the most recent, as a lookup of its key would.</summary>
    public void Touch(int index)
    {
        if (index == _newest)
        {
            return;
        }

        Unlink(index);
        LinkNewest(index);
    }

    /// <summary>Adds a new entry as the most recent; returns the evicted value, if any.</summary>
    public TValue? Add(string key, TValue value) => Add(key, value, out _);

    /// <summary>Adds a new entry as the most recent at <paramref name="index"/>; returns the evicted value, if any.</summary>
    public TValue? Add(string key, TValue value, out int index)
    {
        ArgumentNullException.ThrowIfNull(key);
        TValue? evicted = null;
        if (_map.Count >= Capacity && _oldest != None)
        {
            // At the cap every add evicts: the evicted entry's slot carries the new one.
            index = _oldest;
            ref var old = ref _slots[index];
            _map.Remove(old.Key!);
            Evicted++;
            evicted = old.Value;
            Unlink(index);
        }
        else
        {
            index = NewSlot();
        }

        _map.Add(key, index);
        ref var slot = ref _slots[index];
        slot.Key = key;
        slot.Value = value;
        LinkNewest(index);
        return evicted;
    }

    public void Remove(string key)
    {
        if (_map.Remove(key, out var index))
        {
            Unlink(index);
            ref var slot = ref _slots[index];
            slot.Key = null;
            slot.Value = null;
            slot.Newer = _free;
            _free = index;
        }
    }

    public void Clear()
    {
        _map.Clear();
        Array.Clear(_slots, 0, _used);
        _used = 0;
        _free = None;
        _newest = None;
        _oldest = None;
        Evicted = 0;
    }

    public void Write(BinaryWriter writer, Action<BinaryWriter, TValue> write)
    {
        writer.Write(_map.Count);
        writer.Write(Evicted);
        for (var i = _oldest; i != None; i = _slots[i].Newer)
        {
            writer.Write(_slots[i].Key!);
            write(writer, _slots[i].Value!);
        }
    }

    public void Read(BinaryReader reader, Func<BinaryReader, string, TValue> read)
    {
        Clear();
        var count = reader.ReadInt32();
        var evicted = reader.ReadInt64();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString();
            Add(key, read(reader, key));
        }

        Evicted = evicted;
    }

    private int NewSlot()
    {
        if (_free != None)
        {
            var index = _free;
            _free = _slots[index].Newer;
            return index;
        }

        if (_used == _slots.Length)
        {
            // Grown by doubling up to the cap (never sized from the cap up front: it is configuration).
            Array.Resize(ref _slots, (int)Math.Min(Math.Max(InitialSlots, (long)_slots.Length * 2), Capacity));
        }

        return _used++;
    }

    private void Unlink(int index)
    {
        ref var slot = ref _slots[index];
        if (slot.Newer != None)
        {
            _slots[slot.Newer].Older = slot.Older;
        }
        else
        {
            _newest = slot.Older;
        }

        if (slot.Older != None)
        {
            _slots[slot.Older].Newer = slot.Newer;
        }
        else
        {
            _oldest = slot.Newer;
        }
    }

    private void LinkNewest(int index)
    {
        ref var slot = ref _slots[index];
        slot.Newer = None;
        slot.Older = _newest;
        if (_newest != None)
        {
            _slots[_newest].Newer = index;
        }
        else
        {
            _oldest = index;
        }

        _newest = index;
    }

    private struct Slot
    {
        public string? Key;
        public TValue? Value;
        public int Newer;
        public int Older;
    }
}
