using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Incidents;

/// <summary>
/// Ranks where an incident started from its findings. The RCA ranker provides this (it also reads the asset
/// graph and recent changes); Engines cannot reference it, hence the interface. Called on the correlator's task
/// each time an incident changes, so it must be quick and must not block.
/// </summary>
public interface ISuspectRanker
{
    /// <summary>
    /// How many of an incident's findings the ranker ranks at most (the strongest: worst severity, then highest score,
    /// then earliest window; recoveries are not ranked). The correlator keeps twice as many of a long incident's findings
    /// in memory, so a chronic failure's incident costs a bounded amount however long it lasts.
    /// <see cref="int.MaxValue"/> (the default) when the ranker reads every finding: then the correlator keeps them all.
    /// </summary>
    int MaxFindings => int.MaxValue;

    IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> findings);

    /// <summary>
    /// Ranks the strongest findings of an incident that has more: the window (earliest window start, latest finding
    /// time) and the severity are the whole incident's, as <see cref="Rank(IReadOnlyList{Finding})"/> would have read
    /// them from all of its findings.
    /// </summary>
    IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> strongest, long fromUnixNano, long toUnixNano, FindingSeverity severity) => Rank(strongest);
}
