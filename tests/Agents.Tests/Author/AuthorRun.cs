using Autopilot.Agents.Author;
using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Tests.Author;

/// <summary>Runs PR Author on a sample repository the way the CLI does and checks what every run must guarantee.</summary>
internal static class AuthorRun
{
    public const string Branch = AuthorOptions.DefaultBranch;

    public static string Templates => Path.Combine(AppContext.BaseDirectory, "templates");

    public static DiffPlan Plan(string name)
    {
        var plan = PlanReader.Read(File.ReadAllText(SampleRepo.PlanFile(name)), out var problems);
        Assert.True(plan is not null, string.Join("\n", problems));
        return plan!;
    }

    public static AuthorOptions Options(SampleRepo repo, Action<AuthorOptions>? configure = null)
    {
        var options = new AuthorOptions { RepoPath = repo.Path, TemplatesDirectory = Templates, PrBodyPath = Path.Combine(repo.Path + "-pr", "body.md") };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>
    /// First run: one commit per gap, in plan order, each with its trailer and the default identity; the developer's
    /// checkout untouched; a PR body naming every gap. Second run: nothing to do, the branch tip unchanged.
    /// </summary>
    public static async Task<AuthorReport> RunTwiceAsync(SampleRepo repo, DiffPlan plan)
    {
        var mainBefore = await repo.GitAsync("rev-parse", "main");
        var report = await PrAuthor.RunAsync(plan, Options(repo), CancellationToken.None);

        Assert.True(report.Status == AuthorStatus.Done, Describe(report));
        Assert.Equal(plan.Gaps.Count, report.CommitsMade);
        Assert.All(report.Gaps, g => Assert.Equal(GapOutcome.Committed, g.Outcome));
        Assert.Equal(plan.Gaps.Count.ToString(), await repo.GitAsync("rev-list", "--count", "main.." + Branch));
        var trailers = (await repo.GitAsync("log", "--reverse", "--format=%(trailers:key=Autopilot-Gap,valueonly)", "main.." + Branch))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(plan.Gaps.Select(g => g.Id), trailers);
        Assert.All((await repo.GitAsync("log", "--format=%an <%ae>|%cn <%ce>", "main.." + Branch)).Split('\n'),
            who => Assert.Equal("Autopilot PR Author <autopilot@localhost>|Autopilot PR Author <autopilot@localhost>", who));
        Assert.Equal(report.HeadCommit, await repo.GitAsync("rev-parse", Branch));

        // The developer's checkout is as it was: same branch, same commit, clean, no work tree left registered.
        Assert.Equal("main", await repo.GitAsync("symbolic-ref", "--short", "HEAD"));
        Assert.Equal(mainBefore, await repo.GitAsync("rev-parse", "HEAD"));
        Assert.Equal(string.Empty, await repo.GitAsync("status", "--porcelain"));
        Assert.Single((await repo.GitAsync("worktree", "list")).Split('\n'));

        var body = await File.ReadAllTextAsync(report.PrBodyPath!);
        Assert.Contains("## What", body, StringComparison.Ordinal);
        Assert.Contains("## Why", body, StringComparison.Ordinal);
        Assert.Contains("## How to verify", body, StringComparison.Ordinal);
        Assert.All(plan.Gaps, g => Assert.Contains(g.Id, body, StringComparison.Ordinal));

        var again = await PrAuthor.RunAsync(plan, Options(repo), CancellationToken.None);
        Assert.True(again.Status == AuthorStatus.NothingToDo, Describe(again));
        Assert.Equal(0, again.CommitsMade);
        Assert.Equal(report.HeadCommit, await repo.GitAsync("rev-parse", Branch));
        Assert.Equal(report.Gaps.Select(g => g.Commit), again.Gaps.Select(g => g.Commit));
        Assert.All(again.Gaps, g => Assert.Equal(GapOutcome.AlreadyApplied, g.Outcome));

        await repo.GitAsync("checkout", "-q", Branch);
        return report;
    }

    public static string Describe(AuthorReport report) =>
        $"{report.Status}: " + string.Join("; ", report.Gaps.Select(g => $"{g.GapId}={g.Outcome} {string.Join(" | ", g.Errors)}")) + " notes: " + string.Join("; ", report.Notes);

    /// <summary>Number of times <paramref name="what"/> occurs in <paramref name="text"/>.</summary>
    public static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
