namespace Autopilot.Agents.Validate;

/// <summary>
/// Everything the receiver had at one moment; immutable, so checks can run while more arrives. Refused lists
/// the requests the receiver refused, each with its reason (bad payload, rejected items, unknown path).
/// </summary>
internal sealed record TelemetrySnapshot(
    IReadOnlyList<CapturedSpan> Spans,
    IReadOnlyList<CapturedMetricPoint> MetricPoints,
    long Logs,
    IReadOnlyList<string> LogServices,
    IReadOnlyList<CapturedLineageEvent> Lineage,
    IReadOnlyList<string> Refused,
    long Dropped)
{
    public static readonly TelemetrySnapshot Empty = new([], [], 0, [], [], [], 0);

    /// <summary>Every service anything came from, sorted.</summary>
    public IReadOnlyList<string> Services()
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in Spans)
        {
            set.Add(s.Service);
        }

        foreach (var m in MetricPoints)
        {
            set.Add(m.Service);
        }

        foreach (var l in LogServices)
        {
            set.Add(l);
        }

        return [.. set];
    }
}
