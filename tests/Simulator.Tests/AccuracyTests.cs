using System.Text.Json;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Rca.Answers;
using Autopilot.Simulator.Accuracy;
using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Tests.TestSupport;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Tests;

/// <summary>Which incident a run scores, and which ranked list: the incident's suspected roots or the RCA answer.</summary>
public sealed class AccuracyTests
{
    private const long Onset = 1_000_000_000_000;
    private static readonly ShopTopology Topology = ShopTopology.Default();
    private static readonly FaultSpec Fault = FaultCatalog.Create(FaultKind.Latency, Topology, "sim", "payment");
    private static readonly string Payment = ShopTopology.ServiceUrn("sim", "payment");
    private static readonly string Checkout = ShopTopology.ServiceUrn("sim", "checkout");
    private static readonly string Catalog = ShopTopology.ServiceUrn("sim", "catalog");

    [Fact]
    public void Select_PicksTheIncidentWithMostFaultFindings_IgnoringEarlierAndUnrelatedOnes()
    {
        var findings = new[]
        {
            new FindingView("before", Payment, "anomaly.latency", 1, Onset - 1),
            new FindingView("p1", Payment, "anomaly.latency", 1, Onset),
            new FindingView("c1", Checkout, "anomaly.latency", 1, Onset + 60),
            new FindingView("c2", Checkout, "dq.error_rate", 1, Onset + 120),
            new FindingView("recovered", Payment, "freshness.recovered", 0, Onset + 120),
            new FindingView("x1", Catalog, "anomaly.latency", 1, Onset + 60),
            new FindingView("x2", Catalog, "anomaly.latency", 1, Onset + 120),
            new FindingView("x3", Catalog, "anomaly.latency", 1, Onset + 180),
        };
        var incidents = new[]
        {
            new IncidentView("inc-unrelated", Onset, ["x1", "x2", "x3"], [Catalog]),
            new IncidentView("inc-payment", Onset, ["before", "p1", "recovered"], [Payment]),
            new IncidentView("inc-checkout", Onset + 60, ["c1", "c2"], [Checkout, Payment]),
        };

        var (incident, count, candidates) = FaultIncident.Select(Fault, Onset, incidents, findings);

        Assert.Equal("inc-checkout", incident?.Id);
        Assert.Equal(2, count);
        Assert.Equal(2, candidates);
    }

    [Fact]
    public void Select_OnATie_PicksTheIncidentOpenedFirst_AndNoneWhenNothingIsAffected()
    {
        var findings = new[] { new FindingView("p1", Payment, "anomaly.latency", 1, Onset + 5), new FindingView("c1", Checkout, "anomaly.latency", 1, Onset) };
        var incidents = new[] { new IncidentView("inc-a", Onset + 5, ["p1"], [Payment]), new IncidentView("inc-b", Onset, ["c1"], [Checkout]) };
        Assert.Equal("inc-b", FaultIncident.Select(Fault, Onset, incidents, findings).Incident?.Id);

        var unrelated = new[] { new FindingView("x1", Catalog, "anomaly.latency", 1, Onset) };
        Assert.Null(FaultIncident.Select(Fault, Onset, [new IncidentView("inc-x", Onset, ["x1"], [Catalog])], unrelated).Incident);
    }

    [Fact]
    public void ExplainRanking_ReadsTheRootCausesOfARealRcaAnswer_InOrder()
    {
        var answer = new RcaAnswer("inc-1", 0, 1, "payment is slow",
            [
                new RootCause(Payment, 0.8, ["earliest"], [new Evidence("latency", "span.duration.p99", 900, 90)]),
                new RootCause(Checkout, 0.3, ["caller"], []),
            ],
            [new TimelineEntry(1, Payment, "anomaly.latency", "slow", "f-1")], [Checkout], [new RecommendedAction(ActionType.Rollback, Payment, "recent deploy", "low")],
            ["check the deploy"], "We are investigating.", "rules");

        var urns = ExplainRanking.Parse(JsonSerializer.Serialize(answer, EngineJson.Options), "inc-1");

        Assert.Equal([Payment, Checkout], urns);
        Assert.Throws<FormatException>(() => ExplainRanking.Parse("{\"summary\":\"no causes\"}", "inc-1"));
    }

    [Fact]
    public async Task ExplainRanking_WhereTheRouteIsMissing_FallsBackToTheSuspectedRoots()
    {
        using var dir = new TempDirectory();
        var server = await ShortScenarios.StartServerAsync(dir);
        await using (server)
        {
            var incident = new IncidentView("inc-1", Onset, ["p1"], [Payment, Checkout]);
            var ranked = await new ExplainRanking().RankAsync(server.Api, incident, CancellationToken.None);
            Assert.Equal([Payment, Checkout], ranked.Urns);
            Assert.Equal("suspected_roots (explain: 404)", ranked.Source);

            var suspected = await new SuspectedRootsRanking().RankAsync(server.Api, incident, CancellationToken.None);
            Assert.Equal(SuspectedRootsRanking.SourceName, suspected.Source);
        }
    }
}
