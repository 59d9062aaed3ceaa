namespace Autopilot.Agents.Scout.Manifests;

/// <summary>Whether a dependency ships with the service. Only <see cref="Runtime"/> ones decide its archetype.</summary>
internal enum DependencyScope : byte
{
    Runtime,

    /// <summary>Build-time only: devDependencies, compileOnly, annotation processors, Poetry dev groups.</summary>
    Dev,

    Test,
}
