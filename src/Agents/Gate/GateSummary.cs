namespace Autopilot.Agents.Gate;

/// <summary>Check outcomes counted over all targets.</summary>
public sealed record GateSummary(int Targets, int Checks, int Passed, int Skipped, int Warned, int WouldFail, int Failed, int Waived);
