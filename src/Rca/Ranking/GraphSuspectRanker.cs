using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Rca.Context;

namespace Autopilot.Rca.Ranking;

/// <summary>
/// The RCA ranker behind the incident correlator's suspected roots: the same context building and ranking as
/// the explain API (graph as of the onset, changes, calibrated confidence), over the incident's findings in hand.
/// </summary>
internal sealed class GraphSuspectRanker(RcaContextBuilder contexts, RootCauseRanker ranker) : ISuspectRanker
{
    public IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> findings)
    {
        var ranking = ranker.Rank(contexts.ForFindings(findings));
        var roots = new List<SuspectedRoot>(ranking.Suspects.Count);
        foreach (var s in ranking.Suspects)
        {
            roots.Add(new SuspectedRoot(s.Urn, s.Confidence, s.Reasons));
        }

        return roots;
    }
}
