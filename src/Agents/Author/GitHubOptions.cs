using System.Text.RegularExpressions;

namespace Autopilot.Agents.Author;

/// <summary>Where and as whom the pull request is opened.</summary>
public sealed partial class GitHubOptions
{
    public const string DefaultApiBase = "https://api.github.com/";

    /// <summary><c>owner/repo</c>.</summary>
    public string Repository { get; set; } = string.Empty;

    /// <summary>A token allowed to open pull requests (from GITHUB_TOKEN; never taken from the command line, where other users could read it).</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>REST API root; GitHub Enterprise and tests point it elsewhere.</summary>
    public Uri ApiBase { get; set; } = new(DefaultApiBase);

    public string Owner => Repository.Split('/')[0];

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!RepositoryPattern().IsMatch(Repository))
        {
            problems.Add($"--github '{Repository}' is not of the form owner/repo.");
        }

        if (string.IsNullOrWhiteSpace(Token))
        {
            problems.Add("--github needs a token in GITHUB_TOKEN.");
        }

        if (ApiBase.Scheme is not ("http" or "https"))
        {
            problems.Add($"--github-api '{ApiBase}' is not an http(s) address.");
        }

        return problems;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")]
    private static partial Regex RepositoryPattern();
}
