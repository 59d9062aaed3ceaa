using Autopilot.Engines.Findings;
using Autopilot.Rca.Graph;
using Autopilot.Rca.Tests.Support;
using static Autopilot.Rca.Tests.Support.Scenario;

namespace Autopilot.Rca.Tests.Ranking;

/// <summary>
/// The ranking rules that depend on what a finding measures (its fault plane) and when it began: small graphs with
/// findings shaped like the engines' (kinds, severities, scores and 1-minute windows).
/// </summary>
public sealed class FaultPlaneRankingTests
{
    private static readonly string Orders = Dataset("orders");
    private static readonly string Checkout = Service("checkout");
    private static readonly string Billing = Service("billing");
    private static readonly string Refunds = Service("refunds");
    private static readonly string Audit = Service("audit");

    [Fact]
    public void Rank_WritersSlowTogether_ImplicateTheTableTheyWrite()
    {
        // Three of the four services writing a table get slow at once, the table has no finding of its own (a
        // statement's latency counts on its service): a slow database hurts its writers as much as its readers.
        using var world = WritersOfOrders();
        world.Finding(Checkout, "anomaly.latency", FindingSeverity.Warning, 0.8, 0);
        world.Finding(Billing, "anomaly.latency", FindingSeverity.Warning, 0.7, 0);
        world.Finding(Refunds, "anomaly.latency", FindingSeverity.Warning, 0.6, 0.5);

        var top = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects[0];

        Assert.Equal(Orders, top.Urn);
        Assert.True(top.Inferred);
        Assert.Contains(top.Reasons, r => r.Contains("3 of its 4 direct dependents are anomalous", StringComparison.Ordinal));
    }

    [Fact]
    public void Rank_WritersStaleTogether_DoNotImplicateTheTableTheyWrite()
    {
        // The same graph and timing, but the writers' symptoms are about their data: a table's fault does not spoil
        // what its writers produce, so it is no candidate at all.
        using var world = WritersOfOrders();
        world.Finding(Checkout, "freshness.stale", FindingSeverity.Warning, 3, 0);
        world.Finding(Billing, "freshness.stale", FindingSeverity.Warning, 3, 0);
        world.Finding(Refunds, "freshness.stale", FindingSeverity.Warning, 3, 0.5);

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.DoesNotContain(suspects, s => s.Urn == Orders);
        Assert.Equal(3, suspects.Count);
    }

    [Fact]
    public void Rank_EarlierEpisodeOnADependency_LosesToTheMainBurstsFirstAsset()
    {
        // checkout calls billing and refunds. billing blipped once 20 min before; then refunds fails minute after
        // minute and checkout with it. The blip is the earliest onset, but not the trouble being explained.
        using var world = new Scenario();
        world.Calls(Checkout, Billing).Calls(Checkout, Refunds);
        world.Finding(Billing, "anomaly.latency", FindingSeverity.Warning, 0.9, -20);
        for (var minute = 0; minute < 5; minute++)
        {
            world.Finding(Refunds, "dq.error_rate", FindingSeverity.Critical, 0.4, minute);
            world.Finding(Checkout, "dq.error_rate", FindingSeverity.Critical, 0.3, minute + 0.5);
        }

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.Equal(Refunds, suspects[0].Urn);
        var blip = Assert.Single(suspects, s => s.Urn == Billing);
        Assert.Contains(blip.Reasons, r => r.StartsWith("anomalous only in an earlier episode", StringComparison.Ordinal));
    }

    [Fact]
    public void Rank_LongWindowFindingsCountForTheBurstTheirWindowStartsIn()
    {
        // A cluster of one-minute blips 40 min before (checkout, billing and their caller's latency), then refunds and
        // checkout slow for real: their one-minute findings are fewer than the blips, but the 15-minute duration drift
        // findings that start with them (their midpoints lie 7.5 min later) belong to the same burst.
        using var world = new Scenario();
        var gateway = Service("gateway");
        world.Calls(gateway, Checkout).Calls(Checkout, Billing).Calls(Checkout, Refunds);
        foreach (var urn in new[] { Billing, Billing, Checkout, Checkout, gateway, gateway })
        {
            world.Finding(urn, "anomaly.latency", FindingSeverity.Critical, 1, -40);
        }

        world.Finding(Refunds, "anomaly.latency", FindingSeverity.Critical, 1, 0);
        world.Finding(Checkout, "anomaly.latency", FindingSeverity.Critical, 1, 0);
        world.Finding(gateway, "anomaly.latency", FindingSeverity.Warning, 0.7, 0);
        world.FindingOver(Refunds, "drift.distribution", FindingSeverity.Warning, 5, 0, 15);
        world.FindingOver(Checkout, "drift.distribution", FindingSeverity.Warning, 5, 0, 15);
        world.FindingOver(gateway, "drift.distribution", FindingSeverity.Warning, 5, 0, 15);

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.Equal(Refunds, suspects[0].Urn);
        Assert.Contains(suspects.Single(s => s.Urn == Billing).Reasons, r => r.StartsWith("anomalous only in an earlier episode", StringComparison.Ordinal));
    }

    [Fact]
    public void Rank_StaleChainThroughAJobWithoutFindings_PointsAtTheFirstStaleDataset()
    {
        // raw → aggregate (a job that reports nothing) → daily → read by the reporting service. raw went stale
        // first, daily after, then reporting fails: the walk passes the silent job to the earlier stale input.
        using var world = new Scenario();
        var (raw, daily, aggregate, report) = (Dataset("raw"), Dataset("daily"), Job("aggregate"), Service("reporting"));
        world.Edge(raw, aggregate, EdgeKind.InputOf).Edge(aggregate, daily, EdgeKind.Outputs).Edge(report, daily, EdgeKind.Reads);
        world.Finding(raw, "freshness.stale", FindingSeverity.Warning, 2, -6);
        world.Finding(daily, "freshness.stale", FindingSeverity.Critical, 4, -1);
        world.Finding(report, "dq.error_rate", FindingSeverity.Critical, 0.3, 0);

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.Equal(raw, suspects[0].Urn);
        Assert.Equal(daily, suspects[1].Urn);
    }

    [Fact]
    public void Rank_OnsetTieWithADependency_TheDeployedDependentWins_WithoutTheDeployTheDependency()
    {
        static string Top(bool deploy)
        {
            using var world = new Scenario();
            world.Calls(Checkout, Billing);
            world.Finding(Billing, "anomaly.latency", FindingSeverity.Warning, 0.9, 0);
            world.Finding(Checkout, "anomaly.latency", FindingSeverity.Critical, 0.9, 0);
            if (deploy)
            {
                world.Change(Checkout, "deploy", -1);
            }

            return world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects[0].Urn;
        }

        Assert.Equal(Billing, Top(deploy: false));
        Assert.Equal(Checkout, Top(deploy: true));
    }

    [Fact]
    public void Rank_ClientFindingNamesAStatementOnTheTable_TheTableIsTheRoot_AnHttpRouteDoesNot()
    {
        static IReadOnlyList<string> Ranked(string operation)
        {
            // catalog reads products and is called by the gateway; catalog's overall latency and that of one of its
            // operations are anomalous, the gateway's follows.
            using var world = new Scenario();
            var (gateway, catalog, products) = (Service("gateway"), Service("catalog"), Dataset("products"));
            world.Calls(gateway, catalog).Edge(catalog, products, EdgeKind.Reads);
            world.Finding(catalog, "anomaly.latency", FindingSeverity.Critical, 1, 0, "", new Evidence("latency", "span.duration.p99", 900, 40, "window 60s, 210 spans"));
            world.Finding(catalog, "anomaly.latency", FindingSeverity.Warning, 0.7, 0, "", new Evidence("latency", $"span.duration{{operation={operation}}}.p99", 700, 8, "window 60s, 105 spans"));
            world.Finding(gateway, "anomaly.latency", FindingSeverity.Critical, 1, 0, "", new Evidence("latency", "span.duration.p99", 950, 60, "window 60s, 320 spans"));
            return [.. world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects.Select(s => s.Urn)];
        }

        var statement = Ranked("SELECT products");
        Assert.Equal(Dataset("products"), statement[0]);
        Assert.Equal(Service("catalog"), statement[1]);

        var route = Ranked("GET /products");
        Assert.Equal(Service("catalog"), route[0]);
    }

    [Fact]
    public void Rank_TableBehindTheFirstSlowService_IsTheRunnerUp_NotBehindALaterOne()
    {
        // payment writes charges and is slow first, checkout (its caller) with it: the table, which reports nothing
        // itself, cannot be told apart from payment by what payment measures, so it follows it.
        using var world = new Scenario();
        var (payment, charges, carts) = (Service("payment"), Dataset("charges"), Dataset("carts"));
        world.Calls(Checkout, payment).Edge(payment, charges, EdgeKind.Writes).Edge(Checkout, carts, EdgeKind.Writes);
        world.Finding(payment, "anomaly.latency", FindingSeverity.Warning, 0.6, 0);
        world.Finding(Checkout, "anomaly.latency", FindingSeverity.Warning, 0.7, 0);

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.Equal([payment, charges, Checkout], suspects.Select(s => s.Urn).Take(3));
        Assert.Contains(suspects[1].Reasons, r => r.StartsWith("no telemetry of its own", StringComparison.Ordinal));
        Assert.DoesNotContain(suspects, s => s.Urn == carts); // checkout's own table: checkout follows payment
    }

    /// <summary>checkout, billing, refunds and audit each write <see cref="Orders"/>.</summary>
    private static Scenario WritersOfOrders()
    {
        var world = new Scenario();
        world.Edge(Checkout, Orders, EdgeKind.Writes).Edge(Billing, Orders, EdgeKind.Writes).Edge(Refunds, Orders, EdgeKind.Writes).Edge(Audit, Orders, EdgeKind.Writes);
        return world;
    }
}
