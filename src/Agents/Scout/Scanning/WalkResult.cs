namespace Autopilot.Agents.Scout.Scanning;

/// <summary>What the walk found and what it left alone.</summary>
/// <param name="Files">Every file counted, in no particular order.</param>
/// <param name="SkippedDirectories">Vendored, generated, tool and virtual-environment folders not descended into.</param>
/// <param name="EscapingLinks">Symbolic links whose target lies outside the repository (or loops), repository-relative; never followed.</param>
/// <param name="InnerDirectoryLinks">Links to folders inside the repository: not followed (their target is walked where it is).</param>
/// <param name="UnreadableDirectories">Folders the process may not list.</param>
internal sealed record WalkResult(List<RepoFile> Files, int SkippedDirectories, List<string> EscapingLinks, int InnerDirectoryLinks, int UnreadableDirectories);
