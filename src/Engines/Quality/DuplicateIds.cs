namespace Autopilot.Engines.Quality;

/// <summary>
/// Ids seen on one URN in the current and the previous duplicate window: a rotating pair of bounded id sets
/// (<see cref="IdSet"/>), so memory is at most two windows of ids and an id repeated across a window boundary is
/// still caught.
/// </summary>
internal sealed class DuplicateIds(long start)
{
    public long Start { get; private set; } = start;

    /// <summary>Set when the engine forgets the URN's ids: a cached reference to this set must not be followed.</summary>
    public bool Forgotten { get; set; }

    public IdSet Current { get; private set; } = new();

    public IdSet Previous { get; private set; } = new();

    /// <summary>Records <paramref name="id"/> seen in the window starting at <paramref name="windowStart"/>; true when already seen.</summary>
    public bool SeenBefore(ulong id, long windowStart, long window, int cap)
    {
        if (windowStart > Start)
        {
            if (windowStart == Start + window)
            {
                (Previous, Current) = (Current, Previous);
                Current.Clear();
            }
            else
            {
                Previous.Clear();
                Current.Clear();
            }

            Start = windowStart;
        }
        else if (windowStart < Start - window)
        {
            return false; // older than both windows: nothing left to compare with
        }

        // One hash operation fewer than Contains on both sets and then Add: Add itself says whether the id was there.
        if (Previous.Contains(id))
        {
            return true;
        }

        if (windowStart == Start)
        {
            return Current.Count < cap ? !Current.Add(id) : Current.Contains(id);
        }

        if (Current.Contains(id))
        {
            return true;
        }

        if (Previous.Count < cap)
        {
            Previous.Add(id);
        }

        return false;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Start);
        Write(writer, Current);
        Write(writer, Previous);
    }

    public static DuplicateIds Read(BinaryReader reader)
    {
        var d = new DuplicateIds(reader.ReadInt64());
        Read(reader, d.Current);
        Read(reader, d.Previous);
        return d;
    }

    private static void Write(BinaryWriter writer, IdSet set)
    {
        writer.Write(set.Count);
        foreach (var id in set.InOrder)
        {
            writer.Write(id);
        }
    }

    private static void Read(BinaryReader reader, IdSet set)
    {
        var n = reader.ReadInt32();
        for (var i = 0; i < n; i++)
        {
            set.Add(reader.ReadUInt64());
        }
    }
}
