namespace Autopilot.Agents.Tests.Scout;

/// <summary>Finds files of this repository (schemas/) from the test's output folder.</summary>
internal static class RepoRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Autopilot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Autopilot.sln not found above {AppContext.BaseDirectory}.");
    }

    public static string Schema(string name) => Path.Combine(Find(), "schemas", name);
}
