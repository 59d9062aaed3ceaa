namespace Autopilot.Agents.Gate.Policy;

/// <summary>
/// Stricter enforcement by date: warn before <see cref="WarnUntil"/>, soft-fail before <see cref="SoftFailUntil"/>,
/// then the check's own mode. A date is the first day (UTC) the next stage applies.
/// </summary>
internal sealed record RolloutSchedule(DateOnly? WarnUntil, DateOnly? SoftFailUntil);
