namespace Autopilot.Engines.Events;

/// <summary>A CloudEvents 1.0 event in structured JSON form.</summary>
public sealed record CloudEvent(string Id, string Source, string Type, DateTimeOffset Time, object Data)
{
    public string SpecVersion { get; init; } = "1.0";

    public string DataContentType { get; init; } = "application/json";
}
