using Autopilot.Engines.Incidents;

namespace Autopilot.Engines.State;

/// <summary>
/// An incident for <see cref="IEngineStore.Commit"/>. Whole (<see cref="AppendedTimeline"/> null): <see cref="Incident"/>
/// is stored as it is and replaces what was stored. Appended: only the incident's own fields (status, severity, times,
/// affected assets, suspected roots, summary) come from <see cref="Incident"/>, whose timeline and finding ids are
/// ignored; the stored timeline and finding ids grow by <see cref="AppendedTimeline"/> and
/// <see cref="AppendedFindingIds"/>. A growing incident then costs what changed to store, not what it has become: the
/// correlator writes every incident a batch of findings changed, and an incident that goes on for hours gathers
/// thousands of entries.
/// </summary>
public sealed record IncidentWrite(Incident Incident, IReadOnlyList<TimelineEntry>? AppendedTimeline, IReadOnlyList<string>? AppendedFindingIds)
{
    /// <summary>Whether <see cref="Incident"/> replaces the stored incident, timeline and finding ids included.</summary>
    public bool IsWhole => AppendedTimeline is null;

    /// <summary>The incident's own fields, as its row's JSON keeps them: without its timeline and finding ids.</summary>
    public Incident Row => Incident with { Timeline = [], FindingIds = [] };

    /// <summary>The timeline entries to write: the appended ones, or the whole timeline.</summary>
    public IReadOnlyList<TimelineEntry> Entries => AppendedTimeline ?? Incident.Timeline;

    /// <summary>The finding ids to write: the appended ones, or all of them.</summary>
    public IReadOnlyList<string> FindingIds => AppendedFindingIds ?? Incident.FindingIds;

    /// <summary>The incident as it is, replacing what was stored under its id.</summary>
    public static IncidentWrite Whole(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return new(incident, null, null);
    }

    /// <summary>The incident's own fields from <paramref name="incident"/>; its stored timeline and finding ids grow by the given ones.</summary>
    public static IncidentWrite Append(Incident incident, IReadOnlyList<TimelineEntry> timeline, IReadOnlyList<string> findingIds)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(findingIds);
        return new(incident, timeline, findingIds);
    }
}
