namespace Autopilot.Engines.Quality;

/// <summary>
/// A set of 64-bit ids for duplicate detection: open addressing with linear probing over the ids themselves, so a
/// lookup touches one cache line where <see cref="HashSet{T}"/> touches its bucket array and then its entry array
/// (the duplicate sets of 1,000 services did not fit the caches, and each span paid both misses on two sets). The
/// ids are also kept in insertion order, the order in which <see cref="HashSet{T}"/> without removals enumerates,
/// so a snapshot writes the same bytes as before. Clearing keeps the arrays: a rotated window allocates nothing.
/// </summary>
internal sealed class IdSet
{
    private const int MinSlots = 16;

    // 0 marks an empty slot, so the id 0 is kept in a flag of its own.
    private ulong[] _slots = new ulong[MinSlots];
    private ulong[] _order = new ulong[MinSlots / 2];
    private bool _hasZero;
    private int _shift = 64 - 4;

    // A 256-bit Bloom filter of the ids, inside this object: a window holds a few dozen ids, so most lookups of an id
    // that is not there (every span of a stream without duplicates, on the previous window's set) end here without
    // touching the slot array, one cache miss fewer per span. Only ever a filter: a set bit still probes the slots.
    // Four words indexed by the bit's word, not four fields picked by a switch: ids are random, so the switch's branch
    // was mispredicted three times in four, on every lookup and add.
    private Filter _filter;

    public int Count { get; private set; }

    /// <summary>The ids in the order they were added.</summary>
    public ReadOnlySpan<ulong> InOrder => _order.AsSpan(0, Count);

    public bool Contains(ulong id)
    {
        if (id == 0)
        {
            return _hasZero;
        }

        if (!MayContain(id))
        {
            return false;
        }

        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = Slot(id); ; i = (i + 1) & mask)
        {
            var s = slots[i];
            if (s == id)
            {
                return true;
            }

            if (s == 0)
            {
                return false;
            }
        }
    }

    /// <summary>Adds <paramref name="id"/>; false when it was already there.</summary>
    public bool Add(ulong id)
    {
        if (id == 0)
        {
            if (_hasZero)
            {
                return false;
            }

            _hasZero = true;
            Append(id);
            return true;
        }

        var slots = _slots;
        var mask = slots.Length - 1;
        var i = Slot(id);
        if (MayContain(id))
        {
            for (; ; i = (i + 1) & mask)
            {
                var s = slots[i];
                if (s == id)
                {
                    return false;
                }

                if (s == 0)
                {
                    break;
                }
            }
        }
        else
        {
            while (slots[i] != 0)
            {
                i = (i + 1) & mask;
            }
        }

        Remember(id);

        // At most half full, so every probe ends at an empty slot within a few steps.
        if ((Count + 1) * 2 > slots.Length)
        {
            Grow();
            Insert(id);
        }
        else
        {
            slots[i] = id;
        }

        Append(id);
        return true;
    }

    public void Clear()
    {
        if (Count > 0)
        {
            Array.Clear(_slots);
            Count = 0;
            _hasZero = false;
            _filter = default;
        }
    }

    private int Slot(ulong id) => (int)((id * 0x9E3779B97F4A7C15UL) >> _shift); // Fibonacci hashing: spreads sequential ids

    // The filter bit: 8 bits of the Fibonacci hash below those a set of up to 64 K slots takes its slot from.
    private static int FilterBit(ulong id) => (int)((id * 0x9E3779B97F4A7C15UL) >> 40) & 255;

    private bool MayContain(ulong id)
    {
        var bit = FilterBit(id);
        return (_filter[bit >> 6] & (1UL << (bit & 63))) != 0;
    }

    private void Remember(ulong id)
    {
        var bit = FilterBit(id);
        _filter[bit >> 6] |= 1UL << (bit & 63);
    }

    private void Append(ulong id)
    {
        if (Count == _order.Length)
        {
            Array.Resize(ref _order, _order.Length * 2);
        }

        _order[Count++] = id;
    }

    private void Grow()
    {
        _slots = new ulong[_slots.Length * 2];
        _shift--;
        foreach (var id in InOrder)
        {
            if (id != 0)
            {
                Insert(id);
            }
        }
    }

    private void Insert(ulong id)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var i = Slot(id);
        while (slots[i] != 0)
        {
            i = (i + 1) & mask;
        }

        slots[i] = id;
    }

    [System.Runtime.CompilerServices.InlineArray(4)]
    private struct Filter
    {
        private ulong _word;
    }
}
