namespace Autopilot.Agents.Author;

/// <summary>What happened to one gap. JSON: snake_case.</summary>
public enum GapOutcome
{
    /// <summary>A commit was made for it in this run (in a dry run: would be made).</summary>
    Committed,

    /// <summary>Its changes are already on the branch: nothing to do.</summary>
    AlreadyApplied,

    /// <summary>The plan has no planned change for it.</summary>
    NoChange,

    /// <summary>A change could not be applied; the gap's edits were rolled back and it has no commit.</summary>
    Failed,
}
