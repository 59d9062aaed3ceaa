namespace Autopilot.Agents.Gate;

/// <summary>One check on one target.</summary>
/// <param name="Check">The check's id, e.g. <c>schema-compat</c>.</param>
/// <param name="Result">pass, fail or skip.</param>
/// <param name="Mode">The enforcement mode that applied on the evaluation day (after the rollout schedule).</param>
/// <param name="Outcome">What the result means for the gate.</param>
/// <param name="Message">One line: what held, or what is wrong.</param>
/// <param name="Fix">What would make the check pass; null when it passed.</param>
/// <param name="Findings">The individual problems, with file and line when they have one.</param>
/// <param name="Waiver">"owner until YYYY-MM-DD: reason" of the waiver that covered it, if any.</param>
public sealed record GateCheckStatus(string Check, CheckResult Result, EnforcementMode Mode, CheckOutcome Outcome, string Message, string? Fix, IReadOnlyList<GateFinding> Findings, string? Waiver);
