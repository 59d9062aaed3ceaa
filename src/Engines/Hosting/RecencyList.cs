namespace Autopilot.Engines.Hosting;

/// <summary>
/// Values in the order they were last touched, oldest first, as a doubly linked list of <c>int</c> indexes inside
/// one array of slots. An engine keeps a value's slot and touches it per signal: that rewrites a few ints in slots of
/// the same array, where <see cref="LinkedList{T}"/> moved a node object (five reference stores, each a GC write
/// barrier, across three nodes scattered over the heap). A slot stays the value's until it is removed, and a removed
/// slot is the next one handed out.
/// </summary>
internal sealed class RecencyList<T>(int maxSlots = int.MaxValue)
{
    /// <summary>No slot: the end of an enumeration, or an empty list.</summary>
    public const int None = -1;

    private const int InitialSlots = 16;

    private Slot[] _slots = [];
    private int _used; // slots handed out so far; the free list holds removed ones below this
    private int _free = None;

    public int Count { get; private set; }

    /// <summary>The least recently touched value's slot, or <see cref="None"/>.</summary>
    public int Oldest { get; private set; } = None;

    /// <summary>The most recently touched value's slot, or <see cref="None"/>.</summary>
    public int Newest { get; private set; } = None;

    /// <summary>The slot touched next after <paramref name="slot"/>, or <see cref="None"/> after the newest.</summary>
    public int Newer(int slot) => _slots[slot].Newer;

    public T ValueAt(int slot) => _slots[slot].Value!;

    /// <summary>Slots the array may grow to (it grows by doubling, never sized up front from configuration).</summary>
    public int MaxSlots { get; } = maxSlots >= 1 ? maxSlots : throw new ArgumentOutOfRangeException(nameof(maxSlots), maxSlots, "must be at least 1");

    /// <summary>Adds <paramref name="value"/> as the newest and returns its slot.</summary>
    public int AddNewest(T value)
    {
        int slot;
        if (_free != None)
        {
            slot = _free;
            _free = _slots[slot].Newer;
        }
        else
        {
            if (_used == _slots.Length)
            {
                if (_slots.Length == MaxSlots)
                {
                    throw new InvalidOperationException($"the recency list holds its maximum of {MaxSlots} values");
                }

                Array.Resize(ref _slots, (int)Math.Min(Math.Max(InitialSlots, (long)_slots.Length * 2), MaxSlots));
            }

            slot = _used++;
        }

        _slots[slot].Value = value;
        LinkNewest(slot);
        Count++;
        return slot;
    }

    /// <summary>Makes the value at <paramref name="slot"/> the newest.</summary>
    public void Touch(int slot)
    {
        if (slot == Newest)
        {
            return;
        }

        Unlink(slot);
        LinkNewest(slot);
    }

    /// <summary>Removes the value at <paramref name="slot"/>; the slot may be handed out again.</summary>
    public void Remove(int slot)
    {
        Unlink(slot);
        ref var s = ref _slots[slot];
        s.Value = default;
        s.Newer = _free;
        s.Older = None;
        _free = slot;
        Count--;
    }

    public void Clear()
    {
        Array.Clear(_slots, 0, _used);
        _used = 0;
        _free = None;
        Count = 0;
        Oldest = None;
        Newest = None;
    }

    private void Unlink(int slot)
    {
        ref var s = ref _slots[slot];
        if (s.Newer != None)
        {
            _slots[s.Newer].Older = s.Older;
        }
        else
        {
            Newest = s.Older;
        }

        if (s.Older != None)
        {
            _slots[s.Older].Newer = s.Newer;
        }
        else
        {
            Oldest = s.Newer;
        }
    }

    private void LinkNewest(int slot)
    {
        ref var s = ref _slots[slot];
        s.Newer = None;
        s.Older = Newest;
        if (Newest != None)
        {
            _slots[Newest].Newer = slot;
        }
        else
        {
            Oldest = slot;
        }

        Newest = slot;
    }

    private struct Slot
    {
        public T? Value;
        public int Newer;
        public int Older;
    }
}
