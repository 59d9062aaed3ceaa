namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>Reserved numbers (inclusive ranges) and names of a message or enum.</summary>
internal sealed class ProtoReserved
{
    public List<(long From, long To)> Ranges { get; } = [];

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    public bool Covers(long number) => Ranges.Any(r => number >= r.From && number <= r.To);

    /// <summary>True when every number of [from, to] is reserved here (ranges may be split differently).</summary>
    public bool CoversAll(long from, long to)
    {
        var next = from;
        foreach (var (f, t) in Ranges.OrderBy(r => r.From))
        {
            if (f > next)
            {
                break;
            }

            if (t >= next)
            {
                next = t + 1;
            }

            if (next > to)
            {
                return true;
            }
        }

        return next > to;
    }
}
