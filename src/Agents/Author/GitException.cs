namespace Autopilot.Agents.Author;

/// <summary>A git command failed; the message quotes the command and what git said.</summary>
public sealed class GitException(string message) : Exception(message);
