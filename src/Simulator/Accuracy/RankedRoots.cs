namespace Autopilot.Simulator.Accuracy;

/// <summary>Root-cause URNs, best first, and which ranking gave them (<c>explain</c> or <c>suspected_roots</c>, with the reason for a fallback).</summary>
public sealed record RankedRoots(IReadOnlyList<string> Urns, string Source);
