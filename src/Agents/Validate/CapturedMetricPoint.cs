namespace Autopilot.Agents.Validate;

/// <summary>One metric data point as the receiver decoded it.</summary>
internal sealed record CapturedMetricPoint(string Service, string Name, IReadOnlyDictionary<string, string> Attributes);
