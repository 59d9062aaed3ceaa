namespace Autopilot.Agents.Gate.Targets;

/// <summary>What the gate judges separately: a service folder, or the repository for files outside every service.</summary>
internal sealed class GateTarget(string name, string path, bool isService)
{
    public string Name { get; } = name;

    /// <summary>Repository-relative folder; "." for the repository.</summary>
    public string Path { get; } = path;

    public bool IsService { get; } = isService;

    /// <summary>Dependency files found in the folder (package.json, *.csproj, go.mod, …).</summary>
    public List<string> Manifests { get; } = [];

    /// <summary>True when <paramref name="file"/> lies in this target's folder.</summary>
    public bool Contains(string file) => Path == "." || file.StartsWith(Path + "/", StringComparison.Ordinal);
}
