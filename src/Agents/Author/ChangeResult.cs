namespace Autopilot.Agents.Author;

/// <summary>What applying one planned change did in the work tree.</summary>
/// <param name="ChangeId">The planned change.</param>
/// <param name="TemplateId">Its template.</param>
/// <param name="Title">The template's title rendered for this change.</param>
/// <param name="Files">Repository-relative files created or modified (unchanged files are not listed).</param>
/// <param name="Notes">What could not be done automatically and is left to the developer (also in the pull-request body).</param>
/// <param name="Guidance">The template's guidance for the pull-request body; empty when it has none.</param>
/// <param name="Verify">Commands that verify the change, one per line.</param>
public sealed record ChangeResult(string ChangeId, string TemplateId, string Title, IReadOnlyList<string> Files, IReadOnlyList<string> Notes, string Guidance, IReadOnlyList<string> Verify);
