namespace Autopilot.Agents.Author;

/// <summary>The run cannot start: the repository, branch or options are unusable (the CLI exits 2 with this message).</summary>
public sealed class AuthorUsageException(string message) : Exception(message);
