using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Rca.Context;

namespace Autopilot.Rca.Ranking;

/// <summary>
/// The RCA ranker behind the incident correlator's suspected roots: the same context building and ranking as
/// the explain API (graph as of the onset, changes, calibrated confidence), over the incident's findings in hand.
/// </summary>
internal sealed class GraphSuspectRanker(RcaContextBuilder contexts, RootCauseRanker ranker, RcaOptions options) : ISuspectRanker
{
    public int MaxFindings => options.MaxFindings;

    public IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> findings) => Roots(ranker.Rank(contexts.ForFindings(findings)));

    public IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> strongest, long fromUnixNano, long toUnixNano, FindingSeverity severity) =>
        Roots(ranker.Rank(contexts.ForFindings(strongest, fromUnixNano, toUnixNano, severity)));

    private static List<SuspectedRoot> Roots(RankingResult ranking)
    {
        var roots = new List<SuspectedRoot>(ranking.Suspects.Count);
        foreach (var s in ranking.Suspects)
        {
            roots.Add(new SuspectedRoot(s.Urn, s.Confidence, s.Reasons));
        }

        return roots;
    }
}
