namespace Autopilot.Agents.Tests.Scout.TestSupport;

/// <summary>The sample repositories under tests/Agents.Tests/SampleRepos.</summary>
internal static class Fixture
{
    public static readonly string[] All = ["java-spring-kafka", "go-gin", "python-fastapi", "node-express", "dotnet-aspnet", "monorepo", "instrumented"];

    public static string Dir(string name)
    {
        var dir = Path.Combine(RepoPaths.Root, "tests", "Agents.Tests", "SampleRepos", name);
        Assert.True(Directory.Exists(dir), $"sample repository {dir} is missing");
        return dir;
    }

    /// <summary>The 1-based line of the first line of <paramref name="relPath"/> containing <paramref name="text"/> (so tests read expected lines from the sample, not from memory).</summary>
    public static int LineOf(string fixture, string relPath, string text)
    {
        var lines = File.ReadAllLines(Path.Combine(Dir(fixture), relPath));
        var index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{text}' not found in {fixture}/{relPath}");
        return index + 1;
    }
}
