namespace Autopilot.Agents.Gate;

/// <summary>The repository and the two sides compared: the base commit and the working tree (at HEAD).</summary>
public sealed record GateRepo(string Path, string? Base, string? BaseCommit, string? HeadCommit);
