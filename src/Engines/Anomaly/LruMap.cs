namespace Autopilot.Engines.Anomaly;

/// <summary>
/// A capped map from string keys to per-series state that evicts the least recently touched entry.
/// Lookups take a span, so a hot path can look a series up without building its key string.
/// </summary>
internal sealed class LruMap<TValue>
    where TValue : class
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkedListNode<Entry>>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly LinkedList<Entry> _order = new(); // First = most recently touched

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

    /// <summary>Oldest entry first; enumerate to snapshot (re-adding in this order rebuilds the same recency).</summary>
    public LinkedListNode<Entry>? Oldest => _order.Last;

    public bool TryGet(ReadOnlySpan<char> key, out TValue value)
    {
        if (_lookup.TryGetValue(key, out var node))
        {
            if (node != _order.First)
            {
                _order.Remove(node);
                _order.AddFirst(node);
            }

            value = node.Value.Value;
            return true;
        }

        value = null!;
        return false;
    }

    /// <summary>Adds a new entry as the most recent; returns the evicted value, if any.</summary>
    public TValue? Add(string key, TValue value)
    {
        if (_map.Count >= Capacity && _order.Last is { } oldest)
        {
            // At the cap every add evicts: the evicted entry's list node carries the new one.
            _order.RemoveLast();
            _map.Remove(oldest.Value.Key);
            Evicted++;
            var evicted = oldest.Value.Value;
            oldest.Value = new Entry(key, value);
            _order.AddFirst(oldest);
            _map.Add(key, oldest);
            return evicted;
        }

        _map.Add(key, _order.AddFirst(new Entry(key, value)));
        return null;
    }

    public void Remove(string key)
    {
        if (_map.Remove(key, out var node))
        {
            _order.Remove(node);
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
        for (var node = _order.Last; node is not null; node = node.Previous)
        {
            writer.Write(node.Value.Key);
            write(writer, node.Value.Value);
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

    internal readonly record struct Entry(string Key, TValue Value);
}
