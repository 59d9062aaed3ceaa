namespace Autopilot.Agents.Gate;

/// <summary>Something the next gate will need.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Check">The check.</param>
/// <param name="Reason">rollout (the check's mode tightens) or waiver_expiry.</param>
/// <param name="From">The first day it applies.</param>
/// <param name="Mode">The mode from that day.</param>
/// <param name="Needs">What has to change before then.</param>
public sealed record GateNextStep(string Target, string Check, string Reason, DateOnly From, EnforcementMode Mode, string Needs);
