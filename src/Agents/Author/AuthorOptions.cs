namespace Autopilot.Agents.Author;

/// <summary>How <see cref="PrAuthor"/> runs. Defaults live here and nowhere else.</summary>
public sealed class AuthorOptions
{
    public const string DefaultBranch = "autopilot/instrumentation";
    public const string DefaultAuthorName = "Autopilot PR Author";
    public const string DefaultAuthorEmail = "autopilot@localhost";

    /// <summary>The repository (a git work tree, or a folder inside one: plan paths are relative to it).</summary>
    public string RepoPath { get; set; } = ".";

    /// <summary>The branch the changes are committed to; created from HEAD when missing, extended when present.</summary>
    public string Branch { get; set; } = DefaultBranch;

    /// <summary>Folder holding <c>&lt;stack&gt;/&lt;name&gt;/template.yaml</c>.</summary>
    public string TemplatesDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "templates");

    /// <summary>Where the pull-request body is written; null = <c>&lt;git dir&gt;/autopilot/pr-body.md</c> (outside the work tree).</summary>
    public string? PrBodyPath { get; set; }

    /// <summary>Apply and commit in a throw-away work tree, report what would happen, leave the branch alone.</summary>
    public bool DryRun { get; set; }

    public string AuthorName { get; set; } = DefaultAuthorName;

    public string AuthorEmail { get; set; } = DefaultAuthorEmail;

    /// <summary>Base branch named in the pull request; null = the branch checked out in the repository.</summary>
    public string? BaseBranch { get; set; }

    /// <summary>Open the pull request on GitHub with these settings; null = do not.</summary>
    public GitHubOptions? GitHub { get; set; }

    /// <summary>Every problem with these options, one line each; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(RepoPath))
        {
            problems.Add("--repo is required.");
        }

        if (string.IsNullOrWhiteSpace(Branch))
        {
            problems.Add("--branch must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(AuthorName) || string.IsNullOrWhiteSpace(AuthorEmail) || AuthorEmail.Contains('<', StringComparison.Ordinal) || AuthorName.Contains('<', StringComparison.Ordinal))
        {
            problems.Add("--author-name and --author-email must be non-empty and contain no '<'.");
        }

        if (!Directory.Exists(TemplatesDirectory))
        {
            problems.Add($"templates folder {TemplatesDirectory} does not exist (--templates).");
        }

        if (GitHub is not null)
        {
            problems.AddRange(GitHub.Validate());
        }

        return problems;
    }
}
