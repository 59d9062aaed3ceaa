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

    /// <summary>Schema files (base or head) by the target that owns them, computed once.</summary>
    public required IReadOnlyDictionary<GateTarget, List<string>> SchemaFiles { get; init; }

    /// <summary>Contract files (base or head) by the target that owns them, computed once.</summary>
    public required IReadOnlyDictionary<GateTarget, List<string>> ContractFiles { get; init; }

    /// <summary>Groups files by their owning target (the innermost service holding them, else the repository target).</summary>
    public static Dictionary<GateTarget, List<string>> ByOwner(IReadOnlyList<GateTarget> targets, IEnumerable<string> files)
    {
        var byOwner = targets.ToDictionary(t => t, _ => new List<string>());
        foreach (var file in files)
        {
            byOwner[TargetDetector.Owner(targets, file)].Add(file);
        }

        return byOwner;
    }
}
