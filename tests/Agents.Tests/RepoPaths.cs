namespace Autopilot.Agents.Tests;

/// <summary>Finds files of the repository (schemas, templates) from the test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Schema(string name) => Path.Combine(Root, "schemas", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Autopilot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Autopilot.sln above {AppContext.BaseDirectory}");
    }
}
