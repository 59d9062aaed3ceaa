using Autopilot.Engines.Hosting;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// A capped map from string keys to per-series state that evicts the least recently touched entry.
/// Lookups take a span, so a hot path can look a series up without building its key string.
/// </summary>
/// <remarks>
/// The recency order is a <see cref="RecencyList{T}"/> (int links inside one array of slots), so a touch rewrites a
/// few <c>int</c>s instead of moving a <see cref="LinkedList{T}"/> node. Enumerate with <see cref="Oldest"/> and
/// <see cref="Newer"/>; an index stays valid until its entry is removed or evicted.
/// </remarks>
internal sealed class LruMap<TValue>
    where TValue : class
{
    /// <summary>No entry: the end of an enumeration, or an empty map.</summary>
    public const int None = RecencyList<object>.None;

    private readonly Dictionary<string, int> _map = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly RecencyList<Entry> _order;

    public LruMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();
        _order = new RecencyList<Entry>(capacity);
    }

    public int Capacity { get; }

    public int Count => _map.Count;

    /// <summary>Entries evicted to stay within <see cref="Capacity"/>.</summary>
    public long Evicted { get; private set; }

    /// <summary>The least recently touched entry's index, or <see cref="None"/>; re-adding from here rebuilds the same recency.</summary>
    public int Oldest => _order.Oldest;

    /// <summary>The entry touched next after the one at <paramref name="index"/>, or <see cref="None"/> after the newest.</summary>
    public int Newer(int index) => _order.Newer(index);

    public TValue ValueAt(int index) => _order.ValueAt(index).Value;

    public string KeyAt(int index) => _order.ValueAt(index).Key;

    public bool TryGet(ReadOnlySpan<char> key, out TValue value) => TryGet(key, out value, out _);

    /// <summary>Looks an entry up and makes it the most recent; <paramref name="index"/> can touch it again with <see cref="Touch"/>.</summary>
    public bool TryGet(ReadOnlySpan<char> key, out TValue value, out int index)
    {
        if (_lookup.TryGetValue(key, out index))
        {
            _order.Touch(index);
            value = _order.ValueAt(index).Value;
            return true;
        }

        value = null!;
        index = None;
        return false;
    }

    /// <summary>Makes the entry at <paramref name="index"/> the most recent, as a lookup of its key would.</summary>
    public void Touch(int index) => _order.Touch(index);

    /// <summary>Adds a new entry as the most recent; returns the evicted value, if any.</summary>
    public TValue? Add(string key, TValue value) => Add(key, value, out _);

    /// <summary>Adds a new entry as the most recent at <paramref name="index"/>; returns the evicted value, if any.</summary>
    public TValue? Add(string key, TValue value, out int index)
    {
        ArgumentNullException.ThrowIfNull(key);

        // At the cap every add evicts: the evicted entry's slot, freed last, carries the new one.
        var evicted = _map.Count >= Capacity ? EvictOldest() : null;
        index = _order.AddNewest(new Entry(key, value));
        _map.Add(key, index);
        return evicted;
    }

    /// <summary>Evicts the least recently touched entry (counted in <see cref="Evicted"/>) and returns its value; null when empty.</summary>
    public TValue? EvictOldest()
    {
        var oldest = _order.Oldest;
        if (oldest == None)
        {
            return null;
        }

        var old = _order.ValueAt(oldest);
        _map.Remove(old.Key);
        _order.Remove(oldest);
        Evicted++;
        return old.Value;
    }

    public void Remove(string key)
    {
        if (_map.Remove(key, out var index))
        {
            _order.Remove(index);
        }
    }

    public void Clear()
    {
        _map.Clear();
        _order.Clear();
        Evicted = 0;
    }

    public void Write(BinaryWriter writer, Action<BinaryWriter, TValue> write)
    {
        writer.Write(_map.Count);
        writer.Write(Evicted);
        for (var i = _order.Oldest; i != None; i = _order.Newer(i))
        {
            var entry = _order.ValueAt(i);
            writer.Write(entry.Key);
            write(writer, entry.Value);
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

    private readonly record struct Entry(string Key, TValue Value);
}
