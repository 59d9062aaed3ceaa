namespace Autopilot.Agents.Tests.Author;

/// <summary>
/// A sample repository from <c>Author/Repos/&lt;name&gt;</c> copied to a temporary folder and made a real git repository
/// (branch <c>main</c>, one commit), as a developer's clone would be. Deleted on dispose.
/// </summary>
internal sealed class SampleRepo : IDisposable
{
    private SampleRepo(string path, string name)
    {
        Path = path;
        Name = name;
    }

    public string Path { get; }

    public string Name { get; }

    public static string Fixtures => System.IO.Path.Combine(RepoPaths.Root, "tests", "Agents.Tests", "Author");

    public static string PlanFile(string name) => System.IO.Path.Combine(Fixtures, "Plans", name + ".json");

    public static async Task<SampleRepo> CreateAsync(string name)
    {
        var source = System.IO.Path.Combine(Fixtures, "Repos", name);
        Assert.True(Directory.Exists(source), $"fixture {source} is missing");
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"author-{name}-{Guid.NewGuid():N}"[..40]);
        Copy(source, path);
        var repo = new SampleRepo(path, name);
        await repo.GitAsync("init", "-q", "-b", "main");
        await repo.GitAsync("config", "user.name", "Sample Developer");
        await repo.GitAsync("config", "user.email", "dev@example.com");
        await repo.GitAsync("add", "-A");
        await repo.GitAsync("commit", "-q", "-m", "initial import");
        return repo;
    }

    /// <summary>Runs git here; a non-zero exit fails the test with git's words.</summary>
    public async Task<string> GitAsync(params string[] args)
    {
        var (code, output) = await ProcessRun.RunAsync("git", Path, args);
        Assert.True(code == 0, $"git {string.Join(' ', args)} failed: {output}");
        return output.Trim();
    }

    /// <summary>The content of a file at a revision.</summary>
    public Task<string> ShowAsync(string revision, string file) => GitAsync("show", $"{revision}:{file}");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
            if (Directory.Exists(Path + "-pr"))
            {
                Directory.Delete(Path + "-pr", recursive: true);
            }
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; the test result is what matters.
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = System.IO.Path.GetRelativePath(from, file);
            if (rel.Split(System.IO.Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            {
                continue;
            }

            var target = System.IO.Path.Combine(to, rel);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
