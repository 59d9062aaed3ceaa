using Autopilot.Agents.Author;
using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Tests.Author;

/// <summary>What PR Author does with changes it cannot make and repositories it must not touch.</summary>
public sealed class AuthorFailureTests
{
    [Fact]
    public async Task Run_UnknownTemplateAndForeignRunbook_FailThoseGapsAndCommitTheOthers()
    {
        using var repo = await SampleRepo.CreateAsync("node");
        await File.WriteAllTextAsync(Path.Combine(repo.Path, "RUNBOOK.md"), "# Our own runbook\n");
        await repo.GitAsync("add", "-A");
        await repo.GitAsync("commit", "-q", "-m", "runbook");
        var plan = AuthorRun.Plan("node");
        var health = new Gap("missing_health_endpoint:checkout", GapType.MissingHealthEndpoint, "checkout", ".", "checkout has no health endpoint.", [new Evidence("src/server.js", null, "GET /healthz", null)], 0.6);
        plan = plan with
        {
            Gaps = [.. plan.Gaps, health],
            PlannedChanges = [.. plan.PlannedChanges, new PlannedChange(health.Id + "/node/health-endpoint", health.Id, "node/health-endpoint", "checkout", ["src/server.js"], new Dictionary<string, string>())],
        };

        var report = await PrAuthor.RunAsync(plan, AuthorRun.Options(repo), CancellationToken.None);

        Assert.Equal(AuthorStatus.Failed, report.Status);
        Assert.Equal(2, report.CommitsMade);
        var runbook = report.Gaps.Single(g => g.GapId == "missing_runbook:checkout");
        Assert.Equal(GapOutcome.Failed, runbook.Outcome);
        Assert.Contains("RUNBOOK.md already exists and was not written by autopilot author", runbook.Errors[0], StringComparison.Ordinal);
        var unknown = report.Gaps.Single(g => g.GapId == health.Id);
        Assert.Contains("no template node/health-endpoint", unknown.Errors[0], StringComparison.Ordinal);
        Assert.Equal("# Our own runbook", await repo.ShowAsync(AuthorRun.Branch, "RUNBOOK.md")); // git show, trimmed
        Assert.Equal("2", await repo.GitAsync("rev-list", "--count", "main.." + AuthorRun.Branch));
        var body = await File.ReadAllTextAsync(report.PrBodyPath!);
        Assert.Contains("## Not included", body, StringComparison.Ordinal);
        Assert.Contains(health.Id, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_GapFailingHalfway_LeavesNoneOfItsEditsOnTheBranch()
    {
        using var repo = await SampleRepo.CreateAsync("python");
        var plan = AuthorRun.Plan("python");
        var otel = plan.PlannedChanges[0];
        // Second change of the same gap: its build file is not a requirements file, so it fails after the first one wrote files.
        var broken = otel with { Id = otel.Id + "/again", Variables = new Dictionary<string, string>(otel.Variables) { ["build_file"] = "app/pyproject.toml" } };
        plan = plan with { Gaps = [plan.Gaps[0]], PlannedChanges = [otel, broken] };

        var report = await PrAuthor.RunAsync(plan, AuthorRun.Options(repo), CancellationToken.None);

        Assert.Equal(AuthorStatus.Failed, report.Status);
        Assert.Contains("requirements*.txt only", Assert.Single(report.Gaps).Errors[0], StringComparison.Ordinal);
        Assert.Null(report.HeadCommit);
        Assert.NotEqual(0, (await ProcessRun.RunAsync("git", repo.Path, ["rev-parse", "--verify", "-q", "refs/heads/" + AuthorRun.Branch])).Code);
    }

    [Fact]
    public async Task DryRun_Plan_ReportsCommitsButCreatesNoBranch()
    {
        using var repo = await SampleRepo.CreateAsync("go");

        var report = await PrAuthor.RunAsync(AuthorRun.Plan("go"), AuthorRun.Options(repo, o => o.DryRun = true), CancellationToken.None);

        Assert.Equal(AuthorStatus.Done, report.Status);
        Assert.Equal(4, report.CommitsMade);
        Assert.Null(report.HeadCommit);
        Assert.Equal(string.Empty, await repo.GitAsync("branch", "--list", AuthorRun.Branch));
        Assert.Single((await repo.GitAsync("worktree", "list")).Split('\n'));
        Assert.True(File.Exists(report.PrBodyPath));
    }

    [Fact]
    public async Task Run_CustomBranchAndIdentity_AreUsed()
    {
        using var repo = await SampleRepo.CreateAsync("node");

        var report = await PrAuthor.RunAsync(AuthorRun.Plan("node"), AuthorRun.Options(repo, o =>
        {
            o.Branch = "obs/checkout";
            o.AuthorName = "Release Bot";
            o.AuthorEmail = "bot@example.com";
        }), CancellationToken.None);

        Assert.Equal(AuthorStatus.Done, report.Status);
        Assert.Equal("Release Bot <bot@example.com>", (await repo.GitAsync("log", "-1", "--format=%an <%ae>", "obs/checkout")));
        Assert.Equal(string.Empty, await repo.GitAsync("branch", "--list", AuthorRun.Branch));
    }

    [Fact]
    public async Task Run_DirtyTree_BranchesFromHeadAndSaysTheChangesAreNotIncluded()
    {
        using var repo = await SampleRepo.CreateAsync("node");
        await File.AppendAllTextAsync(Path.Combine(repo.Path, "src/server.js"), "// work in progress\n");

        var report = await PrAuthor.RunAsync(AuthorRun.Plan("node"), AuthorRun.Options(repo), CancellationToken.None);

        Assert.Equal(AuthorStatus.Done, report.Status);
        Assert.Contains(report.Notes, n => n.Contains("uncommitted changes", StringComparison.Ordinal));
        Assert.DoesNotContain("work in progress", await repo.ShowAsync(AuthorRun.Branch, "src/server.js"), StringComparison.Ordinal);
        Assert.EndsWith("// work in progress\n", await File.ReadAllTextAsync(Path.Combine(repo.Path, "src/server.js")), StringComparison.Ordinal);
        Assert.Equal(" M src/server.js", (await ProcessRun.RunAsync("git", repo.Path, ["status", "--porcelain"])).Output.TrimEnd());
    }

    [Fact]
    public async Task Run_BranchCheckedOut_IsRefused()
    {
        using var repo = await SampleRepo.CreateAsync("node");
        await PrAuthor.RunAsync(AuthorRun.Plan("node"), AuthorRun.Options(repo), CancellationToken.None);
        await repo.GitAsync("checkout", "-q", AuthorRun.Branch);

        var e = await Assert.ThrowsAsync<AuthorUsageException>(() => PrAuthor.RunAsync(AuthorRun.Plan("node"), AuthorRun.Options(repo), CancellationToken.None));

        Assert.Contains("is checked out in", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NotAGitRepositoryOrNoCommits_IsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("author-nogit-");
        try
        {
            var options = new AuthorOptions { RepoPath = dir.FullName, TemplatesDirectory = AuthorRun.Templates };
            var e = await Assert.ThrowsAsync<AuthorUsageException>(() => PrAuthor.RunAsync(AuthorRun.Plan("node"), options, CancellationToken.None));
            Assert.Contains("is not a git work tree", e.Message, StringComparison.Ordinal);

            await ProcessRun.RunAsync("git", dir.FullName, ["init", "-q"]);
            e = await Assert.ThrowsAsync<AuthorUsageException>(() => PrAuthor.RunAsync(AuthorRun.Plan("node"), options, CancellationToken.None));
            Assert.Contains("has no commits yet", e.Message, StringComparison.Ordinal);

            options.Branch = "bad..name";
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "a.txt"), "a");
            await ProcessRun.RunAsync("git", dir.FullName, ["add", "-A"]);
            await ProcessRun.RunAsync("git", dir.FullName, ["-c", "user.name=a", "-c", "user.email=a@a", "commit", "-q", "-m", "a"]);
            e = await Assert.ThrowsAsync<AuthorUsageException>(() => PrAuthor.RunAsync(AuthorRun.Plan("node"), options, CancellationToken.None));
            Assert.Contains("'bad..name' is not a valid branch name", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Run_PlanPathEscapingTheRepository_FailsThatChange()
    {
        using var repo = await SampleRepo.CreateAsync("node");
        var plan = AuthorRun.Plan("node");
        var runbook = plan.PlannedChanges.Single(c => c.TemplateId == TemplateIds.Runbook);
        plan = plan with { Gaps = [plan.Gaps.Single(g => g.Id == runbook.GapId)], PlannedChanges = [runbook with { TargetFiles = ["../outside/RUNBOOK.md"] }] };

        var report = await PrAuthor.RunAsync(plan, AuthorRun.Options(repo), CancellationToken.None);

        Assert.Equal(AuthorStatus.Failed, report.Status);
        Assert.Contains("not a file inside the repository", report.Gaps[0].Errors[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(repo.Path)!, "outside")));
    }
}
