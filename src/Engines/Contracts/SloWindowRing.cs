namespace Autopilot.Engines.Contracts;

/// <summary>
/// The good/bad verdicts of the last <see cref="Capacity"/> evaluation windows, newest last. Windows not
/// yet observed count as good: a contract first seen a minute ago has not burnt a 1 h budget.
/// </summary>
internal sealed class SloWindowRing
{
    private readonly bool[] _bad;
    private int _next;

    public SloWindowRing(int capacity) => _bad = new bool[capacity];

    public int Capacity => _bad.Length;

    /// <summary>Windows recorded so far (saturates at <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    public void Add(bool bad)
    {
        _bad[_next] = bad;
        _next = (_next + 1) % _bad.Length;
        Count = Math.Min(Count + 1, _bad.Length);
    }

    /// <summary>Bad windows among the newest <paramref name="last"/>.</summary>
    public int BadInLast(int last)
    {
        var n = Math.Min(last, Count);
        var bad = 0;
        for (var i = 1; i <= n; i++)
        {
            if (_bad[(_next - i + _bad.Length) % _bad.Length])
            {
                bad++;
            }
        }

        return bad;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Count);
        for (var i = Count; i >= 1; i--)
        {
            writer.Write(_bad[(_next - i + _bad.Length) % _bad.Length]);
        }
    }

    public void Read(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var bad = reader.ReadBoolean();
            if (count - i <= _bad.Length)
            {
                Add(bad);
            }
        }
    }
}
