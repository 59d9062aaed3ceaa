using Autopilot.Agents.Gate.Compatibility;

namespace Autopilot.Agents.Gate.Policy;

/// <summary>A whole gates.yaml (or the built-in default), validated.</summary>
internal sealed class GatePolicy
{
    /// <summary>The policy file's path, or "built-in".</summary>
    public required string Source { get; init; }

    public string Gate { get; init; } = "ci";

    public bool BlockSoftFail { get; init; }

    /// <summary>Tiers in file order; the first that matches a target applies.</summary>
    public List<TierPolicy> Tiers { get; } = [];

    public required TierPolicy DefaultTier { get; set; }

    public List<Glob> SchemaInclude { get; } = [];

    public List<Glob> SchemaExclude { get; } = [];

    public CompatibilityLevel DefaultCompatibility { get; init; } = CompatibilityLevel.Backward;

    public List<SubjectRule> Subjects { get; } = [];

    /// <summary>How many commits of history a _TRANSITIVE level compares against.</summary>
    public int TransitiveHistory { get; init; } = 50;

    public List<Glob> ContractInclude { get; } = [];

    /// <summary>Services named in the policy; null: detect them from the repository.</summary>
    public List<ServiceDeclaration>? Services { get; set; }

    public List<Waiver> Waivers { get; } = [];

    public TierPolicy TierFor(string target, string path) => Tiers.FirstOrDefault(t => t.Matches(target, path)) ?? DefaultTier;

    public bool IsSchema(string path) => SchemaInclude.Any(g => g.IsMatch(path)) && !SchemaExclude.Any(g => g.IsMatch(path));

    public bool IsContract(string path) => ContractInclude.Any(g => g.IsMatch(path));

    public CompatibilityLevel CompatibilityFor(string path) => Subjects.FirstOrDefault(s => s.Path.IsMatch(path))?.Level ?? DefaultCompatibility;
}
