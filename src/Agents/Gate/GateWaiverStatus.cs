namespace Autopilot.Agents.Gate;

/// <summary>A waiver of the policy and what it did in this run.</summary>
public sealed record GateWaiverStatus(string Check, string Scope, string Owner, DateOnly Expires, string? Reason, WaiverState State, IReadOnlyList<string> Covered);
