namespace Autopilot.Agents.Gate;

/// <summary>The policy file (or "built-in") and whether soft-fail failures block.</summary>
public sealed record GatePolicyInfo(string Source, bool BlockSoftFail);
