using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Incidents;

/// <summary>
/// Ranks where an incident started from its findings. The RCA ranker provides this (it also reads the asset
/// graph and recent changes); Engines cannot reference it, hence the interface. Called on the correlator's task
/// each time an incident changes, so it must be quick and must not block.
/// </summary>
public interface ISuspectRanker
{
    IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> findings);
}
