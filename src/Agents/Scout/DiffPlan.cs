namespace Autopilot.Agents.Scout;

/// <summary>
/// The Diff Plan: what Scout found in a repository and what PR Author should change. It crosses a process
/// boundary as JSON (<see cref="DiffPlanJson"/>, snake_case names) and validates against
/// <c>schemas/diff-plan.schema.json</c> (draft-07). Paths inside the plan are relative to the repository root,
/// with forward slashes; <c>"."</c> is the root itself.
/// </summary>
/// <param name="SchemaVersion">The plan format version (<see cref="CurrentSchemaVersion"/>); a reader refuses a major version it does not know.</param>
/// <param name="Repo">The repository scanned.</param>
/// <param name="Archetypes">Every service found, with how it is built and what it talks to.</param>
/// <param name="Gaps">Every observability gap, with evidence and a confidence.</param>
/// <param name="PlannedChanges">Template applications that close the gaps; each names the gap it closes.</param>
/// <param name="OverallConfidence">0..1: how far the plan as a whole can be trusted (the mean gap confidence, lowered when services were ambiguous).</param>
public sealed record DiffPlan(
    string SchemaVersion,
    RepoInfo Repo,
    IReadOnlyList<ServiceArchetype> Archetypes,
    IReadOnlyList<Gap> Gaps,
    IReadOnlyList<PlannedChange> PlannedChanges,
    double OverallConfidence)
{
    /// <summary>The version this code writes.</summary>
    public const string CurrentSchemaVersion = "1.0";
}
