using System.Diagnostics;
using System.Text.Json;
using Autopilot.Host.Commands;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Commands;

/// <summary><c>autopilot author</c> as a user runs it: exit codes, messages, table and JSON output, on a real git repository.</summary>
public sealed class AuthorCommandTests
{
    private static readonly string Fixtures = Path.Combine(FindRoot(), "tests", "Agents.Tests", "Author");

    [Fact]
    public async Task Author_SampleTwice_CommitsThenSaysNothingToDo()
    {
        using var dir = new TempDirectory();
        var repo = await GitRepoAsync(dir.Path, "python");
        var body = Path.Combine(dir.Path, "pr.md");

        var (code, stdout, stderr) = await RunAsync("author", Plan("python"), "--repo", repo, "--pr-body", body, "--output", "json");

        Assert.True(code == 0, stderr + stdout);
        using (var report = JsonDocument.Parse(stdout))
        {
            Assert.Equal("done", report.RootElement.GetProperty("status").GetString());
            Assert.Equal(4, report.RootElement.GetProperty("commits_made").GetInt32());
            Assert.Equal("committed", report.RootElement.GetProperty("gaps")[0].GetProperty("outcome").GetString());
            Assert.Equal(body, report.RootElement.GetProperty("pr_body_path").GetString());
        }

        Assert.Contains("## How to verify", await File.ReadAllTextAsync(body), StringComparison.Ordinal);

        var (again, table, _) = await RunAsync("author", Plan("python"), "--repo", repo, "--pr-body", body);

        Assert.Equal(0, again);
        Assert.Contains("already applied", table, StringComparison.Ordinal);
        Assert.Contains("nothing to do: every change of the plan is already on autopilot/instrumentation.", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Author_PlanFailingSchema_ExitsTwoListingEachProblem()
    {
        using var dir = new TempDirectory();
        var repo = await GitRepoAsync(dir.Path, "node");
        var bad = Path.Combine(dir.Path, "bad.json");
        await File.WriteAllTextAsync(bad, (await File.ReadAllTextAsync(Plan("node")))
            .Replace("\"missing_runbook\"", "\"missing_magic\"", StringComparison.Ordinal)
            .Replace("\"template_id\": \"common/runbook\"", "\"template_id\": \"Common Runbook\"", StringComparison.Ordinal));

        var (code, _, stderr) = await RunAsync("author", bad, "--repo", repo);

        Assert.Equal(2, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("gaps[2].type", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("planned_changes[2].template_id", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.StartsWith("autopilot author: ", l, StringComparison.Ordinal));
        Assert.Equal(string.Empty, (await Git(repo, "branch", "--list", "autopilot/instrumentation")).Output);
    }

    [Fact]
    public async Task Author_UsageErrors_ExitTwoWithOneLineEach()
    {
        using var dir = new TempDirectory();

        var (notGit, _, notGitErr) = await RunAsync("author", Plan("node"), "--repo", dir.Path);
        var (noPlan, _, noPlanErr) = await RunAsync("author", Path.Combine(dir.Path, "missing.json"), "--repo", dir.Path);
        var (noRepo, _, _) = await RunAsync("author", Plan("node"));
        var (badGithub, _, badGithubErr) = await RunAsync("author", Plan("node"), "--repo", await GitRepoAsync(dir.Path, "node"), "--github", "not a repo");

        Assert.Equal(2, notGit);
        Assert.Equal($"autopilot author: {dir.Path} is not a git work tree.", notGitErr.Trim());
        Assert.Equal(2, noPlan);
        Assert.Contains("does not exist", noPlanErr, StringComparison.Ordinal);
        Assert.Equal(2, noRepo);
        Assert.Equal(2, badGithub);
        Assert.Contains("'not a repo' is not of the form owner/repo", badGithubErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Author_ChangeThatCannotApply_ExitsOneAndListsIt()
    {
        using var dir = new TempDirectory();
        var repo = await GitRepoAsync(dir.Path, "node");
        await File.WriteAllTextAsync(Path.Combine(repo, "RUNBOOK.md"), "# ours\n");
        await Git(repo, "add", "-A");
        await Git(repo, "commit", "-q", "-m", "runbook");

        var (code, stdout, _) = await RunAsync("author", Plan("node"), "--repo", repo, "--pr-body", Path.Combine(dir.Path, "pr.md"));

        Assert.Equal(1, code);
        Assert.Contains("FAILED", stdout, StringComparison.Ordinal);
        Assert.Contains("RUNBOOK.md already exists and was not written by autopilot author", stdout, StringComparison.Ordinal);
        Assert.Contains("2 commit(s) made on autopilot/instrumentation; 1 gap(s) failed.", stdout, StringComparison.Ordinal);
    }

    private static string Plan(string name) => Path.Combine(Fixtures, "Plans", name + ".json");

    private static async Task<string> GitRepoAsync(string parent, string sample)
    {
        var repo = Path.Combine(parent, sample);
        var source = Path.Combine(Fixtures, "Repos", sample);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(repo, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        await Git(repo, "init", "-q", "-b", "main");
        await Git(repo, "add", "-A");
        await Git(repo, "-c", "user.name=dev", "-c", "user.email=dev@example.com", "commit", "-q", "-m", "initial");
        return repo;
    }

    private static async Task<(int Code, string Output)> Git(string repo, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "dev";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "dev@example.com";
        using var p = Process.Start(start)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {output}");
        return (p.ExitCode, output.Trim());
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        CommandRun.RunAsync([AuthorCommand.Create()], args);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Autopilot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Autopilot.sln above " + AppContext.BaseDirectory);
    }
}
