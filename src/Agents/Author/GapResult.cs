using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Author;

/// <summary>One gap's result.</summary>
/// <param name="GapId">The gap.</param>
/// <param name="Type">Its type.</param>
/// <param name="Service">Its service; null for a repository-wide gap.</param>
/// <param name="Summary">The gap's summary from the plan.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Commit">The commit made now or found on the branch (by its <c>Autopilot-Gap</c> trailer); null otherwise.</param>
/// <param name="Subject">The commit subject.</param>
/// <param name="Changes">Each planned change applied (empty when failed).</param>
/// <param name="Files">Repository-relative files the gap's commit changed (the one made now, or the one found on the branch).</param>
/// <param name="Errors">Why it failed, one line per change that failed.</param>
public sealed record GapResult(
    string GapId,
    GapType Type,
    string? Service,
    string Summary,
    GapOutcome Outcome,
    string? Commit,
    string? Subject,
    IReadOnlyList<ChangeResult> Changes,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Errors);
