using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Incidents;

/// <summary>Findings that belong together (DESIGN.md, "Incident"): close in time and on the same or related assets.</summary>
public sealed record Incident(
    string Id,
    IncidentStatus Status,
    FindingSeverity Severity,
    long OpenedUnixNano,
    long UpdatedUnixNano,
    long? ResolvedUnixNano,
    IReadOnlyList<string> AffectedUrns,
    IReadOnlyList<string> FindingIds,
    IReadOnlyList<SuspectedRoot> SuspectedRoots,
    IReadOnlyList<TimelineEntry> Timeline,
    string Summary)
{
    /// <summary>
    /// The incident with its latest <paramref name="items"/> finding ids (in the order they joined) and timeline entries
    /// (in time order, as the store reads them), as its events carry it; itself when it has no more than that.
    /// </summary>
    public Incident WithLatest(int items) =>
        items >= FindingIds.Count && items >= Timeline.Count
            ? this
            : this with { FindingIds = [.. FindingIds.TakeLast(items)], Timeline = [.. Timeline.TakeLast(items)] };
}
