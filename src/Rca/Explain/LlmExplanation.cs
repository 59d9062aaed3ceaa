using Autopilot.Rca.Answers;

namespace Autopilot.Rca.Explain;

/// <summary>A validated answer of the model (schemas/rca-explanation.schema.json), its URNs checked against the analysis.</summary>
internal sealed record LlmExplanation(
    string Summary,
    IReadOnlyList<(string Urn, IReadOnlyList<string> Reasons)> RootCauses,
    IReadOnlyList<RecommendedAction> Actions,
    IReadOnlyList<string> NextChecks,
    string StakeholderUpdate);
