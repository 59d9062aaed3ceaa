namespace Autopilot.Agents.Scout;

/// <summary>The Diff Plan and how the scan that made it went.</summary>
public sealed record ScoutResult(DiffPlan Plan, ScanStats Stats);
