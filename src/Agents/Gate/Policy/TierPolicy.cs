namespace Autopilot.Agents.Gate.Policy;

/// <summary>A tier: which targets it covers (service names or path globs) and the checks it runs.</summary>
internal sealed class TierPolicy(string name)
{
    public string Name { get; } = name;

    public List<string> Services { get; } = [];

    public List<Glob> Paths { get; } = [];

    /// <summary>Configured checks by id; a check not listed does not run in this tier.</summary>
    public Dictionary<string, CheckPolicy> Checks { get; } = new(StringComparer.Ordinal);

    public bool Matches(string target, string path) =>
        Services.Contains(target, StringComparer.OrdinalIgnoreCase) || Paths.Any(g => g.IsMatch(path));
}
