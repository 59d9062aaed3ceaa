namespace Autopilot.Agents.Scout.Manifests;

/// <summary>The family of build files and source files that belong together (a .java file belongs to the nearest Maven or Gradle project).</summary>
internal enum Ecosystem : byte
{
    Jvm,
    Go,
    Python,
    Node,
    Dotnet,
}
