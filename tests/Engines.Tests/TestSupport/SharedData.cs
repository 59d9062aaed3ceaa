namespace Autopilot.Engines.Tests.TestSupport;

/// <summary>
/// Test data shared by all worktrees lives next to the repository, never in it:
/// <c>&lt;folder holding Autopilot.sln&gt;/../shared/data</c>.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Autopilot.sln")))
            {
                var data = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "data"));
                if (!Directory.Exists(data))
                {
                    throw new DirectoryNotFoundException($"Shared test data not found at {data}; it must sit beside the repository as ../shared/data.");
                }

                return data;
            }
        }

        throw new DirectoryNotFoundException($"No Autopilot.sln above {AppContext.BaseDirectory}; cannot locate ../shared/data.");
    }
}
