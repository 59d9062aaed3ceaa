namespace Autopilot.Agents.Scout;

/// <summary>Where a scan is, for a progress display.</summary>
public enum ScoutPhase
{
    /// <summary>Listing the repository's files.</summary>
    Walking,

    /// <summary>Reading build files, configuration and source.</summary>
    Reading,

    /// <summary>Deciding services, gaps and changes.</summary>
    Planning,

    Done,
}
