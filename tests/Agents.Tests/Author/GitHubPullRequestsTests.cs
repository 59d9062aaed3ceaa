using Autopilot.Agents.Author;

namespace Autopilot.Agents.Tests.Author;

/// <summary>The GitHub REST client against a loopback protocol peer (<see cref="FakeGitHub"/>); real GitHub is not exercised offline.</summary>
public sealed class GitHubPullRequestsTests
{
    [Fact]
    public async Task Open_NewBranch_PostsThePullRequestAndASecondOpenFindsIt()
    {
        await using var github = await FakeGitHub.StartAsync();
        github.PushedBranches.Add("autopilot/instrumentation");
        using var client = new GitHubPullRequests(Options(github));

        var first = await client.OpenAsync("autopilot/instrumentation", "main", "Autopilot: close 3 gaps", "## What\n…", CancellationToken.None);
        var second = await client.OpenAsync("autopilot/instrumentation", "main", "Autopilot: close 3 gaps", "## What\n…", CancellationToken.None);

        Assert.Equal(new PullRequestInfo(1, "https://github.example/acme/shop/pull/1", Created: true), first);
        Assert.Equal(first with { Created = false }, second);
        var requests = github.Requests.ToList();
        Assert.Equal(["GET", "POST", "GET"], requests.Select(r => r.Method));
        Assert.Equal("/api/v3/repos/acme/shop/pulls?head=acme%3Aautopilot%2Finstrumentation&base=main&state=open", requests[0].PathAndQuery);
        var post = requests[1];
        Assert.Equal("/api/v3/repos/acme/shop/pulls", post.PathAndQuery);
        Assert.Equal("Bearer " + github.Token, post.Authorization);
        Assert.Equal("application/vnd.github+json", post.Accept);
        Assert.Equal("2022-11-28", post.ApiVersion);
        Assert.StartsWith("autopilot-author/", post.UserAgent, StringComparison.Ordinal);
        Assert.Equal("autopilot/instrumentation", (string)post.Body!["head"]!);
        Assert.Equal("main", (string)post.Body["base"]!);
        Assert.Equal("Autopilot: close 3 gaps", (string)post.Body["title"]!);
        Assert.Equal("## What\n…", (string)post.Body["body"]!);
    }

    [Fact]
    public async Task Open_BadToken_ThrowsWithStatusAndGitHubsMessage()
    {
        await using var github = await FakeGitHub.StartAsync();
        var options = Options(github);
        options.Token = "wrong";
        using var client = new GitHubPullRequests(options);

        var e = await Assert.ThrowsAsync<GitHubException>(() => client.OpenAsync("b", "main", "t", "b", CancellationToken.None));

        Assert.Contains("401", e.Message, StringComparison.Ordinal);
        Assert.Contains("Bad credentials", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_BranchNotPushed_ThrowsWithTheValidationErrors()
    {
        await using var github = await FakeGitHub.StartAsync();
        using var client = new GitHubPullRequests(Options(github));

        var e = await Assert.ThrowsAsync<GitHubException>(() => client.OpenAsync("autopilot/instrumentation", "main", "t", "b", CancellationToken.None));

        Assert.Contains("422", e.Message, StringComparison.Ordinal);
        Assert.Contains("Validation Failed (head autopilot/instrumentation does not exist on acme/shop)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_NothingListening_SaysItCouldNotReachTheApi()
    {
        Uri address;
        await using (var github = await FakeGitHub.StartAsync())
        {
            address = github.ApiBase;
        }

        using var client = new GitHubPullRequests(new GitHubOptions { Repository = "acme/shop", Token = "t", ApiBase = address });

        var e = await Assert.ThrowsAsync<GitHubException>(() => client.OpenAsync("b", "main", "t", "b", CancellationToken.None));

        Assert.Contains("could not reach the API", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Author_WithGitHub_OpensThePullRequestWithTheBodyFileAndFindsItOnTheSecondRun()
    {
        await using var github = await FakeGitHub.StartAsync();
        github.PushedBranches.Add(AuthorRun.Branch);
        using var repo = await SampleRepo.CreateAsync("node");

        var report = await PrAuthor.RunAsync(AuthorRun.Plan("node"), AuthorRun.Options(repo, o => o.GitHub = Options(github)), CancellationToken.None);
        var again = await PrAuthor.RunAsync(AuthorRun.Plan("node"), AuthorRun.Options(repo, o => o.GitHub = Options(github)), CancellationToken.None);

        Assert.True(report.Status == AuthorStatus.Done, AuthorRun.Describe(report));
        Assert.Equal(new PullRequestInfo(1, "https://github.example/acme/shop/pull/1", true), report.PullRequest);
        var post = Assert.Single(github.Requests, r => r.Method == "POST");
        Assert.Equal(await File.ReadAllTextAsync(report.PrBodyPath!), (string)post.Body!["body"]!);
        Assert.Equal("Autopilot: close 3 observability gaps in checkout", (string)post.Body["title"]!);
        Assert.Equal(AuthorStatus.NothingToDo, again.Status);
        Assert.Equal(report.PullRequest! with { Created = false }, again.PullRequest);
    }

    private static GitHubOptions Options(FakeGitHub github) => new() { Repository = "acme/shop", Token = github.Token, ApiBase = github.ApiBase };
}
