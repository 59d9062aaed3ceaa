using Autopilot.Agents.Gate.Analysis;
using Autopilot.Agents.Gate.Policy;
using Autopilot.Agents.Gate.Targets;
using Autopilot.Agents.Validate;

namespace Autopilot.Agents.Gate.Checks;

/// <summary>Everything the checks read: the working tree, the base, the policy, the day, the reports and the repository-wide analyses.</summary>
internal sealed class GateContext
{
    public required Workspace Workspace { get; init; }

    public required BaseSnapshot? Base { get; init; }

    public required GatePolicy Policy { get; init; }

    /// <summary>The UTC day rollout dates and waiver expiries are judged against.</summary>
    public required DateOnly Today { get; init; }

    public required string? HeadCommit { get; init; }

    /// <summary>Validator reports given with --validation-report: file and report.</summary>
    public required IReadOnlyList<(string File, ValidationReport Report)> Reports { get; init; }

    public required IReadOnlyList<GateTarget> Targets { get; init; }

    /// <summary>Schema comparisons; empty without a base.</summary>
    public required IReadOnlyList<SchemaFileResult> Schemas { get; init; }

    public required ContractAnalysis Contracts { get; init; }
}
