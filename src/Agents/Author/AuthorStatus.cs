namespace Autopilot.Agents.Author;

/// <summary>The run's overall result; the CLI's exit code follows it. JSON: snake_case.</summary>
public enum AuthorStatus
{
    /// <summary>New commits were made (or would be, in a dry run); exit 0.</summary>
    Done,

    /// <summary>Every change was already on the branch; exit 0.</summary>
    NothingToDo,

    /// <summary>Some change failed to apply (the others were still committed), or the pull request could not be opened; exit 1.</summary>
    Failed,
}
