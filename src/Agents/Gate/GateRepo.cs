namespace Autopilot.Agents.Gate;

/// <summary>The repository and the two sides compared: the base commit and the working tree (at HEAD).</summary>
/// <param name="Path">The repository's top-level folder.</param>
/// <param name="Base">The revision given with --base.</param>
/// <param name="BaseCommit">The commit compared with: the merge base of <paramref name="Base"/> and HEAD.</param>
/// <param name="HeadCommit">HEAD; the working tree on top of it is what was judged.</param>
public sealed record GateRepo(string Path, string? Base, string? BaseCommit, string? HeadCommit);
