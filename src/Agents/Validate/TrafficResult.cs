namespace Autopilot.Agents.Validate;

/// <summary>What sending traffic.yaml's requests gave: counts and, per request that went wrong, why.</summary>
internal sealed record TrafficResult(int RequestsSent, int RequestsFailed, IReadOnlyList<string> Failures, IReadOnlyList<string> Notes);
