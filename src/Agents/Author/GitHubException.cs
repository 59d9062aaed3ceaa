namespace Autopilot.Agents.Author;

/// <summary>The GitHub REST API refused or could not be reached; the message has the status and GitHub's own words.</summary>
public sealed class GitHubException(string message, Exception? inner = null) : Exception(message, inner);
