namespace Autopilot.Agents.Scout;

/// <summary>How a service is built. JSON: snake_case (<c>maven</c>, <c>gradle</c>, <c>go_modules</c>, <c>pip</c>, <c>poetry</c>, <c>pyproject</c>, <c>npm</c>, <c>yarn</c>, <c>pnpm</c>, <c>dotnet</c>).</summary>
public enum BuildSystem
{
    Maven,
    Gradle,
    GoModules,
    Pip,
    Poetry,
    Pyproject,
    Npm,
    Yarn,
    Pnpm,
    Dotnet,
}
