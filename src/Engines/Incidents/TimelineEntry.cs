namespace Autopilot.Engines.Incidents;

/// <summary>One step of an incident's timeline: a finding (or a status change) at a time.</summary>
public sealed record TimelineEntry(long TimeUnixNano, string Urn, string Kind, string Summary, string? FindingId);
