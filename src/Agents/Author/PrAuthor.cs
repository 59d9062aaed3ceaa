using System.Text;
using Autopilot.Agents.Author.Edits;
using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Author;

/// <summary>
/// PR Author: turns a Diff Plan into commits on a branch of a real git repository, one commit per gap, and writes the
/// pull-request body (optionally opening the pull request on GitHub).
/// </summary>
/// <remarks>
/// The user's work tree is never touched: the changes are made in a temporary <c>git worktree</c> (detached, at the
/// branch tip or at HEAD when the branch is new) and the branch ref is moved at the end with a compare-and-swap
/// <c>git update-ref</c>. Uncommitted changes in the user's tree are therefore not part of the branch (the report
/// says so), and a branch checked out in some work tree is refused rather than moved under it. Every edit is
/// idempotent, so a second run over a branch that already holds every change makes no commit.
/// </remarks>
public static class PrAuthor
{
    private const string GapTrailer = "Autopilot-Gap";

    public static async Task<AuthorReport> RunAsync(DiffPlan plan, AuthorOptions options, CancellationToken cancellationToken)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new AuthorUsageException(string.Join(Environment.NewLine, problems));
        }

        var repo = Path.GetFullPath(options.RepoPath);
        if (!Directory.Exists(repo))
        {
            throw new AuthorUsageException($"--repo {repo} does not exist.");
        }

        var git = new GitCli(repo);
        var inside = await git.TryRunAsync(cancellationToken, "rev-parse", "--is-inside-work-tree").ConfigureAwait(false);
        if (inside.ExitCode != 0 || inside.Stdout.Trim() != "true")
        {
            throw new AuthorUsageException($"{repo} is not a git work tree.");
        }

        var head = await git.TryRunAsync(cancellationToken, "rev-parse", "--verify", "-q", "HEAD^{commit}").ConfigureAwait(false);
        if (head.ExitCode != 0)
        {
            throw new AuthorUsageException($"{repo} has no commits yet; commit something first (the branch starts from HEAD).");
        }

        var headSha = head.Stdout.Trim();
        if ((await git.TryRunAsync(cancellationToken, "check-ref-format", "--branch", options.Branch).ConfigureAwait(false)).ExitCode != 0)
        {
            throw new AuthorUsageException($"--branch '{options.Branch}' is not a valid branch name.");
        }

        var branchRef = "refs/heads/" + options.Branch;
        var tip = await git.TryRunAsync(cancellationToken, "rev-parse", "--verify", "-q", branchRef + "^{commit}").ConfigureAwait(false);
        var tipSha = tip.ExitCode == 0 ? tip.Stdout.Trim() : null;
        if (await CheckedOutAtAsync(git, branchRef, cancellationToken).ConfigureAwait(false) is { } checkedOut)
        {
            throw new AuthorUsageException($"branch {options.Branch} is checked out in {checkedOut}; switch that work tree to another branch first (autopilot author never moves a checked-out branch).");
        }

        var current = await git.TryRunAsync(cancellationToken, "symbolic-ref", "--short", "-q", "HEAD").ConfigureAwait(false);
        var baseBranch = options.BaseBranch ?? (current.ExitCode == 0 ? current.Stdout.Trim() : null);
        if (options.GitHub is not null && baseBranch is null)
        {
            throw new AuthorUsageException("HEAD is detached: give --base <branch> for the pull request.");
        }

        var prefix = (await git.RunAsync(cancellationToken, "rev-parse", "--show-prefix").ConfigureAwait(false)).Trim();
        var notes = new List<string>();
        if (plan.Repo.Head is { } planHead && !string.Equals(planHead, headSha, StringComparison.OrdinalIgnoreCase))
        {
            notes.Add($"the plan was made at commit {Short(planHead)} but HEAD is {Short(headSha)}; re-run scout if the code changed since.");
        }

        if (tipSha is null && (await git.RunAsync(cancellationToken, "status", "--porcelain").ConfigureAwait(false)).Trim().Length > 0)
        {
            notes.Add($"{repo} has uncommitted changes; they are not part of the branch, which starts from commit {Short(headSha)}.");
        }

        var results = new List<GapResult>();
        var commits = 0;
        string newHead;
        var worktree = Path.Combine(Path.GetTempPath(), "autopilot-author-" + Guid.NewGuid().ToString("N")[..12]);
        await git.RunAsync(cancellationToken, "-c", "core.hooksPath=/dev/null", "worktree", "add", "--detach", "--quiet", worktree, tipSha ?? headSha).ConfigureAwait(false);
        try
        {
            var identity = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["GIT_AUTHOR_NAME"] = options.AuthorName,
                ["GIT_AUTHOR_EMAIL"] = options.AuthorEmail,
                ["GIT_COMMITTER_NAME"] = options.AuthorName,
                ["GIT_COMMITTER_EMAIL"] = options.AuthorEmail,
            };
            var work = new GitCli(worktree, identity);
            var root = prefix.Length == 0 ? worktree : Path.Combine(worktree, prefix);
            var applier = new ChangeApplier(new TemplateCatalog(options.TemplatesDirectory));
            var earlier = tipSha is null ? new Dictionary<string, string>() : await GapCommitsAsync(work, headSha, tipSha, cancellationToken).ConfigureAwait(false);
            foreach (var gap in plan.Gaps)
            {
                var result = await ApplyGapAsync(plan, gap, applier, work, root, prefix, earlier, cancellationToken).ConfigureAwait(false);
                if (result.Outcome == GapOutcome.Committed)
                {
                    commits++;
                }

                results.Add(result);
            }

            newHead = (await work.RunAsync(cancellationToken, "rev-parse", "HEAD").ConfigureAwait(false)).Trim();
            if (!options.DryRun && commits > 0)
            {
                // Compare-and-swap: fails instead of losing commits when someone moved (or created) the branch meanwhile.
                var expected = tipSha ?? new string('0', headSha.Length);
                await git.RunAsync(cancellationToken, "update-ref", "-m", "autopilot author", branchRef, newHead, expected).ConfigureAwait(false);
            }
        }
        finally
        {
            await RemoveWorktreeAsync(git, worktree).ConfigureAwait(false);
        }

        var failed = results.Any(r => r.Outcome == GapOutcome.Failed);
        var bodyPath = options.PrBodyPath is { } given ? Path.GetFullPath(given) : await DefaultBodyPathAsync(git, repo, cancellationToken).ConfigureAwait(false);
        var headAfter = !options.DryRun && commits > 0 ? newHead : tipSha;
        var report = new AuthorReport(
            failed ? AuthorStatus.Failed : commits > 0 ? AuthorStatus.Done : AuthorStatus.NothingToDo,
            repo, options.Branch, baseBranch, tipSha is null ? headSha : (await MergeBaseAsync(git, headSha, tipSha, cancellationToken).ConfigureAwait(false)),
            headAfter, options.DryRun, commits, results, bodyPath, null, notes);
        var body = PullRequestBody.Build(plan, report);
        Directory.CreateDirectory(Path.GetDirectoryName(bodyPath)!);
        await File.WriteAllTextAsync(bodyPath, body, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);

        if (options.GitHub is not null && options.DryRun)
        {
            notes.Add("dry run: no pull request opened.");
        }

        if (options.GitHub is { } github && !options.DryRun)
        {
            if (headAfter is null)
            {
                notes.Add("no pull request opened: the branch does not exist (nothing was committed).");
            }
            else
            {
                try
                {
                    using var client = new GitHubPullRequests(github);
                    var onBranch = results.Where(r => r.Outcome is GapOutcome.Committed or GapOutcome.AlreadyApplied).ToList();
                    var pull = await client.OpenAsync(options.Branch, baseBranch!, PullRequestBody.Title(onBranch), body, cancellationToken).ConfigureAwait(false);
                    report = report with { PullRequest = pull };
                }
                catch (GitHubException e)
                {
                    notes.Add("pull request not opened: " + e.Message);
                    report = report with { Status = AuthorStatus.Failed };
                }
            }
        }

        return report;
    }

    private static async Task<GapResult> ApplyGapAsync(
        DiffPlan plan, Gap gap, ChangeApplier applier, GitCli work, string root, string prefix, Dictionary<string, string> earlier, CancellationToken cancellationToken)
    {
        var changes = plan.PlannedChanges.Where(c => c.GapId == gap.Id).ToList();
        if (changes.Count == 0)
        {
            return new GapResult(gap.Id, gap.Type, gap.Service, gap.Summary, GapOutcome.NoChange, null, null, [], [], []);
        }

        var applied = new List<ChangeResult>();
        var errors = new List<string>();
        foreach (var change in changes)
        {
            try
            {
                applied.Add(applier.Apply(plan, change, root));
            }
            catch (Exception e) when (e is TemplateException or EditException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                errors.Add($"{change.Id}: {e.Message}");
            }
        }

        if (errors.Count > 0)
        {
            // One commit per gap, all or nothing: the gap's other edits are undone so the next gap starts clean.
            await work.RunAsync(cancellationToken, "reset", "--hard", "-q").ConfigureAwait(false);
            await work.RunAsync(cancellationToken, "clean", "-fdxq").ConfigureAwait(false);
            return new GapResult(gap.Id, gap.Type, gap.Service, gap.Summary, GapOutcome.Failed, null, null, [], [], errors);
        }

        var subject = $"{gap.Service ?? plan.Repo.Name}: {applied[0].Title}";
        var files = applied.SelectMany(a => a.Files).Distinct(StringComparer.Ordinal).ToList();
        if (files.Count > 0)
        {
            // -f: a generated file the repository's .gitignore happens to match (e.g. *.env) is still part of the change.
            await work.RunAsync(["add", "-f", "--", .. files.Select(f => prefix + f)], cancellationToken).ConfigureAwait(false);
        }

        var staged = await work.TryRunAsync(cancellationToken, "diff", "--cached", "--quiet").ConfigureAwait(false);
        if (staged.ExitCode == 0)
        {
            var found = earlier.GetValueOrDefault(gap.Id);
            var foundFiles = found is null ? [] : await CommitFilesAsync(work, found, prefix, cancellationToken).ConfigureAwait(false);
            return new GapResult(gap.Id, gap.Type, gap.Service, gap.Summary, GapOutcome.AlreadyApplied, found, subject, applied, foundFiles, []);
        }

        var body = new StringBuilder().AppendLine(gap.Summary).AppendLine();
        foreach (var change in applied)
        {
            body.AppendLine($"- {change.TemplateId}: {(change.Files.Count == 0 ? "already in place" : string.Join(", ", change.Files))}");
        }

        await work.RunAsync(
            cancellationToken,
            "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null",
            "commit", "-q", "--no-verify", "-m", subject, "-m", body.ToString().TrimEnd(), "-m", $"{GapTrailer}: {gap.Id}").ConfigureAwait(false);
        var sha = (await work.RunAsync(cancellationToken, "rev-parse", "HEAD").ConfigureAwait(false)).Trim();
        return new GapResult(gap.Id, gap.Type, gap.Service, gap.Summary, GapOutcome.Committed, sha, subject, applied, await CommitFilesAsync(work, sha, prefix, cancellationToken).ConfigureAwait(false), []);
    }

    /// <summary>Gap id → the newest commit on the branch (not on HEAD) carrying its trailer.</summary>
    private static async Task<Dictionary<string, string>> GapCommitsAsync(GitCli git, string headSha, string tipSha, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var log = await git.RunAsync(cancellationToken, "log", $"--format=%H%x09%(trailers:key={GapTrailer},valueonly,separator=%x09)", $"{headSha}..{tipSha}").ConfigureAwait(false);
        foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var id in parts.Skip(1))
            {
                map.TryAdd(id, parts[0]);
            }
        }

        return map;
    }

    /// <summary>Files a commit changed, relative to the plan's root.</summary>
    private static async Task<IReadOnlyList<string>> CommitFilesAsync(GitCli git, string commit, string prefix, CancellationToken cancellationToken)
    {
        var names = await git.RunAsync(cancellationToken, "diff-tree", "--no-commit-id", "--name-only", "-r", commit).ConfigureAwait(false);
        return names.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.StartsWith(prefix, StringComparison.Ordinal) ? n[prefix.Length..] : n)
            .ToList();
    }

    private static async Task<string?> CheckedOutAtAsync(GitCli git, string branchRef, CancellationToken cancellationToken)
    {
        string? path = null;
        foreach (var line in (await git.RunAsync(cancellationToken, "worktree", "list", "--porcelain").ConfigureAwait(false)).Split('\n'))
        {
            if (line.StartsWith("worktree ", StringComparison.Ordinal))
            {
                path = line["worktree ".Length..].Trim();
            }
            else if (line.Trim() == "branch " + branchRef)
            {
                return path;
            }
        }

        return null;
    }

    private static async Task<string> MergeBaseAsync(GitCli git, string headSha, string tipSha, CancellationToken cancellationToken)
    {
        var r = await git.TryRunAsync(cancellationToken, "merge-base", headSha, tipSha).ConfigureAwait(false);
        return r.ExitCode == 0 ? r.Stdout.Trim() : headSha;
    }

    private static async Task<string> DefaultBodyPathAsync(GitCli git, string repo, CancellationToken cancellationToken)
    {
        var common = (await git.RunAsync(cancellationToken, "rev-parse", "--git-common-dir").ConfigureAwait(false)).Trim();
        return Path.Combine(Path.GetFullPath(Path.Combine(repo, common)), "autopilot", "pr-body.md");
    }

    private static async Task RemoveWorktreeAsync(GitCli git, string worktree)
    {
        // Not cancellable: a half-removed work tree would be left registered in the user's repository.
        var removed = await git.TryRunAsync(CancellationToken.None, "worktree", "remove", "--force", worktree).ConfigureAwait(false);
        if (removed.ExitCode != 0)
        {
            if (Directory.Exists(worktree))
            {
                Directory.Delete(worktree, recursive: true);
            }

            await git.TryRunAsync(CancellationToken.None, "worktree", "prune").ConfigureAwait(false);
        }
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
