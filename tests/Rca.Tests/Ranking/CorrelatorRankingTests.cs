using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Incidents;
using Autopilot.Rca.Tests.Support;
using static Autopilot.Rca.Tests.Support.Scenario;

namespace Autopilot.Rca.Tests.Ranking;

/// <summary>The incident correlator (Engines) takes its suspected roots from the RCA ranker through <see cref="ISuspectRanker"/>.</summary>
public sealed class CorrelatorRankingTests
{
    private static readonly string Web = Service("web");
    private static readonly string Api = Service("api");

    [Fact]
    public async Task Correlator_WithTheRcaRanker_PutsTheUpstreamServiceFirst()
    {
        using var world = new Scenario();
        world.Calls(Web, Api);

        // web fails first (so the onset-only ranking would blame it); api is what it calls and fails right after.
        var web = world.Finding(Web, "dq.error_rate", FindingSeverity.Critical, 0.5, 0, "", new Evidence("trace", "t1"));
        var api = world.Finding(Api, "dq.error_rate", FindingSeverity.Critical, 0.9, 0.5, "", new Evidence("trace", "t1"));
        var withRanker = new IncidentCorrelator(new EngineOptions(), world.Store, ranker: world.Analyzer().SuspectRanker);

        await withRanker.OnFindingsAsync(new[] { web, api }, CancellationToken.None);

        var incident = Assert.Single(world.Store.QueryIncidents(new Autopilot.Engines.State.IncidentQuery()));
        Assert.Equal([Api, Web], incident.SuspectedRoots.Select(r => r.Urn));
        Assert.Contains(incident.SuspectedRoots[0].Reasons, r => r.StartsWith("upstream (in the fault direction)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Correlator_RankerThrows_FallsBackToOnsetAndStrength()
    {
        using var world = new Scenario();
        var web = world.Finding(Web, "dq.error_rate", FindingSeverity.Critical, 0.5, 0, "", new Evidence("trace", "t1"));
        var api = world.Finding(Api, "dq.error_rate", FindingSeverity.Critical, 0.9, 0.5, "", new Evidence("trace", "t1"));
        var correlator = new IncidentCorrelator(new EngineOptions(), world.Store, ranker: new Broken());

        await correlator.OnFindingsAsync(new[] { web, api }, CancellationToken.None);

        var incident = Assert.Single(world.Store.QueryIncidents(new Autopilot.Engines.State.IncidentQuery()));
        Assert.Equal(Web, incident.SuspectedRoots[0].Urn);
        Assert.Equal("earliest finding of the incident", incident.SuspectedRoots[0].Reasons[0]);
    }

    private sealed class Broken : ISuspectRanker
    {
        public IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> findings) => throw new InvalidOperationException("ranker bug");
    }
}
