using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Autopilot.Agents.Author;

namespace Autopilot.Host.Commands;

/// <summary>
/// <c>autopilot author &lt;plan.json&gt; --repo &lt;path&gt;</c>: PR Author. Applies a Diff Plan to a git repository as one
/// commit per gap on a branch, writes the pull-request body and, with <c>--github</c>, opens the pull request.
/// Exit codes: 0 done or nothing to do, 1 some change failed (listed) or the pull request could not be opened,
/// 2 usage (bad plan with its schema errors, not a git repository, bad options).
/// </summary>
internal static class AuthorCommand
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    public static Command Create()
    {
        var plan = new Argument<string>("plan") { Description = "The Diff Plan (JSON, as written by autopilot scout)." };
        var repo = new Option<string>("--repo") { Description = "The git repository (or a folder in one) the plan was made for.", Required = true };
        var branch = new Option<string>("--branch") { Description = "Branch to commit to (created from HEAD when missing).", DefaultValueFactory = _ => AuthorOptions.DefaultBranch };
        var prBody = new Option<string?>("--pr-body") { Description = "Write the pull-request body here (default: <git dir>/autopilot/pr-body.md)." };
        var github = new Option<string?>("--github") { Description = "owner/repo: open the pull request on GitHub (token from GITHUB_TOKEN; push the branch first)." };
        var githubApi = new Option<string?>("--github-api") { Description = "GitHub REST API root (default https://api.github.com/, or GITHUB_API_URL)." };
        var baseBranch = new Option<string?>("--base") { Description = "Base branch of the pull request (default: the branch checked out in --repo)." };
        var authorName = new Option<string>("--author-name") { Description = "Commit author and committer name.", DefaultValueFactory = _ => AuthorOptions.DefaultAuthorName };
        var authorEmail = new Option<string>("--author-email") { Description = "Commit author and committer e-mail.", DefaultValueFactory = _ => AuthorOptions.DefaultAuthorEmail };
        var templates = new Option<string?>("--templates") { Description = "Templates folder (default: templates/ next to autopilot.dll)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Apply and commit in a throw-away work tree; leave the branch alone." };
        var output = new Option<string>("--output") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");

        var command = new Command("author", "Turn a Diff Plan into a branch with one commit per gap, and a pull-request body.")
        {
            plan, repo, branch, prBody, github, githubApi, baseBranch, authorName, authorEmail, templates, dryRun, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var planPath = parse.GetValue(plan)!;
            if (!File.Exists(planPath))
            {
                await stderr.WriteLineAsync($"autopilot author: plan {planPath} does not exist").ConfigureAwait(false);
                return 2;
            }

            var diffPlan = PlanReader.Read(await File.ReadAllTextAsync(planPath, cancellationToken).ConfigureAwait(false), out var problems);
            if (diffPlan is null)
            {
                foreach (var p in problems)
                {
                    await stderr.WriteLineAsync($"autopilot author: {planPath}: {p}").ConfigureAwait(false);
                }

                return 2;
            }

            var options = new AuthorOptions
            {
                RepoPath = parse.GetValue(repo)!,
                Branch = parse.GetValue(branch)!,
                PrBodyPath = parse.GetValue(prBody),
                DryRun = parse.GetValue(dryRun),
                AuthorName = parse.GetValue(authorName)!,
                AuthorEmail = parse.GetValue(authorEmail)!,
                BaseBranch = parse.GetValue(baseBranch),
            };
            if (parse.GetValue(templates) is { } t)
            {
                options.TemplatesDirectory = Path.GetFullPath(t);
            }

            if (parse.GetValue(github) is { } gh)
            {
                var api = parse.GetValue(githubApi) ?? Environment.GetEnvironmentVariable("GITHUB_API_URL") ?? GitHubOptions.DefaultApiBase;
                if (!Uri.TryCreate(api, UriKind.Absolute, out var apiUri))
                {
                    await stderr.WriteLineAsync($"autopilot author: --github-api '{api}' is not an absolute address").ConfigureAwait(false);
                    return 2;
                }

                options.GitHub = new GitHubOptions { Repository = gh, Token = Environment.GetEnvironmentVariable("GITHUB_TOKEN") ?? string.Empty, ApiBase = apiUri };
            }

            AuthorReport report;
            try
            {
                report = await PrAuthor.RunAsync(diffPlan, options, cancellationToken).ConfigureAwait(false);
            }
            catch (AuthorUsageException e)
            {
                foreach (var line in e.Message.Split(Environment.NewLine))
                {
                    await stderr.WriteLineAsync("autopilot author: " + line).ConfigureAwait(false);
                }

                return 2;
            }
            catch (GitException e)
            {
                await stderr.WriteLineAsync("autopilot author: " + e.Message).ConfigureAwait(false);
                return 1;
            }

            if (parse.GetValue(output) == "json")
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(report, Json)).ConfigureAwait(false);
            }
            else
            {
                await WriteTableAsync(stdout, report).ConfigureAwait(false);
            }

            return report.Status == AuthorStatus.Failed ? 1 : 0;
        });
        return command;
    }

    private static async Task WriteTableAsync(TextWriter stdout, AuthorReport report)
    {
        var from = report.BaseBranch is null ? report.BaseCommit[..7] : $"{report.BaseBranch} @ {report.BaseCommit[..7]}";
        await stdout.WriteLineAsync($"{report.Repo}: branch {report.Branch} (from {from}){(report.DryRun ? " [dry run: nothing written]" : string.Empty)}").ConfigureAwait(false);
        var table = new OnCall.TextTable("GAP", "RESULT", "COMMIT", "DETAIL");
        foreach (var gap in report.Gaps)
        {
            var result = gap.Outcome switch
            {
                GapOutcome.Committed => report.DryRun ? "would commit" : "committed",
                GapOutcome.AlreadyApplied => "already applied",
                GapOutcome.NoChange => "no change planned",
                _ => "FAILED",
            };
            var detail = gap.Outcome == GapOutcome.Failed ? string.Join("; ", gap.Errors) : gap.Subject ?? gap.Summary;
            table.Add(gap.GapId, result, gap.Commit is { } c && !report.DryRun ? c[..7] : "-", detail);
        }

        await table.WriteAsync(stdout).ConfigureAwait(false);
        foreach (var note in report.Notes)
        {
            await stdout.WriteLineAsync("note: " + note).ConfigureAwait(false);
        }

        if (report.PullRequest is { } pr)
        {
            await stdout.WriteLineAsync($"pull request #{pr.Number}{(pr.Created ? " opened" : " already open")}: {pr.Url}").ConfigureAwait(false);
        }

        var failed = report.Gaps.Count(g => g.Outcome == GapOutcome.Failed);
        var summary = report.Status switch
        {
            AuthorStatus.NothingToDo => $"nothing to do: every change of the plan is already on {report.Branch}.",
            _ when report.DryRun => $"dry run: {report.CommitsMade} commit(s) would be made; {failed} gap(s) failed.",
            _ => $"{report.CommitsMade} commit(s) made on {report.Branch}; {failed} gap(s) failed.",
        };
        await stdout.WriteLineAsync(summary).ConfigureAwait(false);
        await stdout.WriteLineAsync($"pull-request body: {report.PrBodyPath}").ConfigureAwait(false);
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }
}
