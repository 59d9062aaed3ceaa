namespace Autopilot.Agents.Author;

/// <summary>What one git command returned.</summary>
internal sealed record GitResult(int ExitCode, string Stdout, string Stderr);
