namespace Autopilot.Agents.Scout.Manifests;

/// <summary>What a build file says about the project in its folder.</summary>
internal sealed class BuildManifest(Ecosystem ecosystem, BuildSystem buildSystem, string file)
{
    public Ecosystem Ecosystem { get; } = ecosystem;

    public BuildSystem BuildSystem { get; set; } = buildSystem;

    /// <summary>The build file, repository-relative.</summary>
    public string File { get; set; } = file;

    /// <summary>The project folder: the build file's folder (for requirements/*.txt, the folder above).</summary>
    public string Dir { get; set; } = Scanning.RepoPaths.Parent(file);

    /// <summary>The project's own name (artifactId, module path's last element, package name, assembly name), or null.</summary>
    public string? Name { get; set; }

    public List<Dependency> Dependencies { get; } = [];

    /// <summary>Only aggregates other projects (Maven <c>pom</c> packaging, a Gradle root that only includes subprojects, an npm workspaces root).</summary>
    public bool IsAggregator { get; set; }

    /// <summary>A test project (.csproj referencing a test SDK): never a service.</summary>
    public bool IsTestProject { get; set; }

    /// <summary>The build file says the project runs as a process: a web or worker SDK, <c>OutputType Exe</c>, the Spring Boot or <c>application</c> Gradle plugin, a <c>start</c> script.</summary>
    public bool IsExecutable { get; set; }

    /// <summary>A .NET class library (no web/worker SDK, not Exe): not deployable on its own.</summary>
    public bool IsLibrary { get; set; }

    /// <summary>package.json <c>main</c> (folder-relative), or the file a <c>start</c> script runs.</summary>
    public string? MainFile { get; set; }

    /// <summary>A browser front end (React, Vue, Angular, Vite…): not a back-end service.</summary>
    public bool IsFrontend { get; set; }

    /// <summary>Why the build file could not be read fully; null when it was.</summary>
    public string? ParseError { get; set; }

    /// <summary>Further build files of the same project merged into this one (requirements.txt next to pyproject.toml).</summary>
    public List<string> OtherFiles { get; } = [];

    public bool Has(string id) => Dependencies.Exists(d => d.Scope == DependencyScope.Runtime && string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase));
}
