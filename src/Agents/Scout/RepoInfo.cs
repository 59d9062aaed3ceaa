namespace Autopilot.Agents.Scout;

/// <summary>The repository a plan was made for.</summary>
/// <param name="Path">Absolute path that was scanned.</param>
/// <param name="Name">The folder name (or the name the caller gave).</param>
/// <param name="Head">The commit checked out when scanned; null when the folder is not a git work tree.</param>
/// <param name="GeneratedAt">When the scan ran (UTC).</param>
/// <param name="FilesScanned">How many files were looked at (vendored and generated folders excluded).</param>
public sealed record RepoInfo(string Path, string Name, string? Head, DateTimeOffset GeneratedAt, int FilesScanned);
