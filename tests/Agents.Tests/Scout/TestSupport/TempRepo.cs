using System.Diagnostics;
using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Tests.Scout.TestSupport;

/// <summary>A repository in a temporary folder: a copy of a sample, or built file by file; removed on dispose.</summary>
internal sealed class TempRepo : IDisposable
{
    private TempRepo(string root) => Root = root;

    /// <summary>The folder that holds the repository and, beside it, anything "outside" a test needs.</summary>
    public string Root { get; }

    public string Path => System.IO.Path.Combine(Root, "repo");

    public static TempRepo Empty()
    {
        var repo = new TempRepo(Directory.CreateTempSubdirectory("autopilot-scout-").FullName);
        Directory.CreateDirectory(repo.Path);
        return repo;
    }

    /// <summary>A copy of a sample; with <paramref name="git"/>, a real git repository with one commit.</summary>
    public static TempRepo Copy(string fixture, bool git = false)
    {
        var repo = Empty();
        CopyDirectory(Fixture.Dir(fixture), repo.Path);
        if (git)
        {
            repo.Git("init", "-q");
            repo.Git("add", "-A");
            repo.Git("-c", "user.email=scout@example.com", "-c", "user.name=scout", "commit", "-q", "-m", "sample");
        }

        return repo;
    }

    public string Write(string relPath, string content)
    {
        var full = System.IO.Path.Combine(Path, relPath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Delete(string relPath) => File.Delete(System.IO.Path.Combine(Path, relPath));

    public string Read(string relPath) => File.ReadAllText(System.IO.Path.Combine(Path, relPath));

    /// <summary>Runs real git in the repository; fails the test with git's message when it fails.</summary>
    public string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var git = Process.Start(psi)!;
        var stdout = git.StandardOutput.ReadToEndAsync();
        var stderr = git.StandardError.ReadToEnd();
        Assert.True(git.WaitForExit(30_000), "git did not finish within 30 s");
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result.Trim();
    }

    public ScoutResult Scan(int parallelism = 2, bool readGitHead = false) =>
        RepoScout.Scan(new ScoutOptions { RepoPath = Path, TimeProvider = new FixedClock(), MaxDegreeOfParallelism = parallelism, ReadGitHead = readGitHead });

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A slow git child may still hold a file; the OS cleans temp later.
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            CopyDirectory(dir, System.IO.Path.Combine(to, System.IO.Path.GetFileName(dir)));
        }
    }
}
