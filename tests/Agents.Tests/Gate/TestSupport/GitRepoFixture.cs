using System.Diagnostics;

namespace Autopilot.Agents.Tests.Gate.TestSupport;

/// <summary>A throwaway git repository in a temp folder, driven by the real git executable.</summary>
internal sealed class GitRepoFixture : IDisposable
{
    public GitRepoFixture()
    {
        Path = Directory.CreateTempSubdirectory("gate-repo-").FullName;
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "gate@test");
        Git("config", "user.name", "Gate Test");
        Git("config", "commit.gpgsign", "false");
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public GitRepoFixture Write(string relative, string text)
    {
        var full = File(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, text);
        return this;
    }

    public GitRepoFixture Delete(string relative)
    {
        System.IO.File.Delete(File(relative));
        return this;
    }

    /// <summary>Stages everything and commits; returns the commit id.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)} failed: {error}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
