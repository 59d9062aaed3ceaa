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
    string Summary);
