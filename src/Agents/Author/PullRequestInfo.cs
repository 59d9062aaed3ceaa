namespace Autopilot.Agents.Author;

/// <summary>A pull request on GitHub.</summary>
/// <param name="Number">Its number.</param>
/// <param name="Url">Its page (<c>html_url</c>).</param>
/// <param name="Created">True when this run opened it; false when an open one for the branch already existed.</param>
public sealed record PullRequestInfo(int Number, string Url, bool Created);
