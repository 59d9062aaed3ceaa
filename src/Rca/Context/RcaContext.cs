using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Context;

/// <summary>
/// Everything one analysis reasons over: the findings (bounded, strongest kept), the graph around their assets
/// as of the onset, the changes shortly before and within the window, and the timeline. <see cref="Notes"/>
/// says what was cut to stay within the bounds.
/// </summary>
internal sealed class RcaContext
{
    public required string? IncidentId { get; init; }

    public required FindingSeverity Severity { get; init; }

    /// <summary>Start of the analysis: the earliest onset of the incident's findings, or the window asked for.</summary>
    public required long FromUnixNano { get; init; }

    public required long ToUnixNano { get; init; }

    /// <summary>The time the graph was read as of.</summary>
    public required long AsOfUnixNano { get; init; }

    public required string? SymptomUrn { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    public required ContextGraph Graph { get; init; }

    /// <summary>True when the asset graph knew at least one edge of these assets.</summary>
    public required bool GraphAvailable { get; init; }

    public required IReadOnlyList<ChangeEvent> Changes { get; init; }

    public required IReadOnlyList<TimelineEntry> Timeline { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }
}
