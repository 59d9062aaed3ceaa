namespace Autopilot.Agents.Scout.Scanning;

/// <summary>What a file is to Scout, decided from its name and folder alone (no read).</summary>
internal enum FileKind : byte
{
    /// <summary>Not interesting: counted, never read.</summary>
    Other,

    MavenPom,
    GradleBuild,
    GradleSettings,
    GoMod,
    PythonRequirements,
    PyProject,
    SetupCfg,
    SetupPy,
    Pipfile,
    PackageJson,
    Csproj,

    /// <summary>Lock files and markers whose presence alone matters (yarn / pnpm / poetry, tsconfig, Helm chart).</summary>
    YarnLock,
    PnpmLock,
    PoetryLock,
    TsConfig,
    ChartYaml,

    Java,
    Kotlin,
    Go,
    Python,
    JavaScript,
    TypeScript,
    CSharp,

    /// <summary>Spring Boot <c>application*.yml|yaml|properties</c> and <c>bootstrap*</c>.</summary>
    SpringConfig,
    Dockerfile,
    Compose,

    /// <summary>Helm values, Kubernetes manifests and other deployment YAML.</summary>
    DeploymentYaml,
    AppSettings,
    EnvFile,
    Procfile,
    Script,

    OpenLineageSpec,
    Runbook,
    Contract,
    CodeOwners,
}
