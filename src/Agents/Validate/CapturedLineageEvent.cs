namespace Autopilot.Agents.Validate;

/// <summary>One OpenLineage event as the receiver decoded it.</summary>
internal sealed record CapturedLineageEvent(string? EventType, string? JobNamespace, string? JobName, string? RunId, IReadOnlyList<string> Outputs);
