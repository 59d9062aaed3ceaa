namespace Autopilot.Agents.Author;

/// <summary>What <c>autopilot author</c> did.</summary>
/// <param name="Status">Overall result.</param>
/// <param name="Repo">The repository folder.</param>
/// <param name="Branch">The branch written (or that would be, in a dry run).</param>
/// <param name="BaseBranch">The branch the pull request targets; null when HEAD is detached and none was given.</param>
/// <param name="BaseCommit">The commit the branch started from (HEAD when it was created in this run).</param>
/// <param name="HeadCommit">The branch tip after the run; null when the branch does not exist (nothing to do, or a dry run).</param>
/// <param name="DryRun">Nothing was written to the repository.</param>
/// <param name="CommitsMade">Commits added in this run.</param>
/// <param name="Gaps">One result per gap, in plan order.</param>
/// <param name="PrBodyPath">The pull-request body file.</param>
/// <param name="PullRequest">The pull request opened or found; null when --github was not given or it failed.</param>
/// <param name="Notes">Things the caller should know (uncommitted changes not included, a stale plan, GitHub errors).</param>
public sealed record AuthorReport(
    AuthorStatus Status,
    string Repo,
    string Branch,
    string? BaseBranch,
    string BaseCommit,
    string? HeadCommit,
    bool DryRun,
    int CommitsMade,
    IReadOnlyList<GapResult> Gaps,
    string? PrBodyPath,
    PullRequestInfo? PullRequest,
    IReadOnlyList<string> Notes);
