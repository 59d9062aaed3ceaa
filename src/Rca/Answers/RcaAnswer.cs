using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;

namespace Autopilot.Rca.Answers;

/// <summary>What the RCA service recommends doing (DESIGN.md, "RCA answer").</summary>
public enum ActionType
{
    Investigate,
    Restart,
    ScaleOut,
    Rollback,
    Ignore,
}

/// <summary>A suspected root cause: the asset, a calibrated score in [0, 1], why, and the evidence.</summary>
public sealed record RootCause(string Urn, double Score, IReadOnlyList<string> Reasons, IReadOnlyList<Evidence> Evidence);

/// <summary>A recommended action on a target asset, why, and how risky it is (low / medium / high).</summary>
public sealed record RecommendedAction(ActionType Action, string Target, string Rationale, string Risk);

/// <summary>
/// The answer to "why did this happen and what should we do?", for an incident or for any time window:
/// summary, ranked root causes, timeline, blast radius (assets affected downstream), actions, next checks,
/// a drafted stakeholder update, and which explainer wrote it (<c>rules</c> or <c>llm:&lt;provider&gt;/&lt;model&gt;</c>).
/// <see cref="ExplainerFallback"/> says why the rules answered when an LLM was asked (timeout, error, invalid
/// output); <see cref="Notes"/> what the analysis cut to stay within its bounds.
/// </summary>
public sealed record RcaAnswer(
    string? IncidentId,
    long FromUnixNano,
    long ToUnixNano,
    string Summary,
    IReadOnlyList<RootCause> RootCauses,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<string> BlastRadius,
    IReadOnlyList<RecommendedAction> Actions,
    IReadOnlyList<string> NextChecks,
    string StakeholderUpdate,
    string Explainer,
    string? ExplainerFallback = null,
    IReadOnlyList<string>? Notes = null);
