namespace Autopilot.Engines.Events;

/// <summary>A CloudEvents 1.0 event in structured JSON form.</summary>
public sealed record CloudEvent(string Id, string Source, string Type, DateTimeOffset Time, object Data)
{
    public string SpecVersion { get; init; } = "1.0";

    public string DataContentType { get; init; } = "application/json";

    /// <summary>
    /// For an incident: how many finding ids it has in all (extension attribute <c>findingcount</c>); its data carries at
    /// most <see cref="Hosting.EngineOptions.IncidentEventItems"/> of them. Null for other events.
    /// </summary>
    public long? FindingCount { get; init; }

    /// <summary>For an incident: how many timeline entries it has in all (extension attribute <c>timelinecount</c>); null for other events.</summary>
    public long? TimelineCount { get; init; }
}
