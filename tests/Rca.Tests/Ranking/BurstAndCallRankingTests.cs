using Autopilot.Engines.Findings;
using Autopilot.Rca.Graph;
using Autopilot.Rca.Tests.Support;
using static Autopilot.Rca.Tests.Support.Scenario;

namespace Autopilot.Rca.Tests.Ranking;

/// <summary>
/// Which burst of an incident is explained (findings of one asset and window count once; a lone finding before a
/// quiet gap is not the start), and edge latency before and after the onset (a client's calls to one dependency got
/// slower: the dependency's symptom).
/// </summary>
public sealed class BurstAndCallRankingTests
{
    private static readonly string Gateway = Service("gateway");
    private static readonly string Checkout = Service("checkout");
    private static readonly string Shipping = Service("shipping");
    private static readonly string Payment = Service("payment");

    [Fact]
    public void Rank_BlipOnEveryDetectorOfAFewAssets_LosesToAFaultThatKeepsFailing()
    {
        // 30 min earlier three services blip once (a pause), each lighting its latency, a metric and a log detector
        // (nine critical findings in one minute); then shipping is slow minute after minute and checkout, its caller,
        // with it (six warnings).
        using var world = new Scenario();
        var (search, index, cache) = (Service("search"), Service("index"), Service("cache"));
        world.Calls(search, index).Calls(index, cache).Calls(Checkout, Shipping);
        foreach (var asset in new[] { search, index, cache })
        {
            foreach (var kind in new[] { "anomaly.latency", "anomaly.metric", "log.spike" })
            {
                world.Finding(asset, kind, FindingSeverity.Critical, 1, -30);
            }
        }

        foreach (var minute in new[] { 0, 2, 4 })
        {
            world.Finding(Shipping, "anomaly.latency", FindingSeverity.Warning, 0.6, minute);
            world.Finding(Checkout, "anomaly.latency", FindingSeverity.Warning, 0.6, minute);
        }

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.Equal(Shipping, suspects[0].Urn);
        Assert.Contains(suspects[0].Reasons, r => r.StartsWith("earliest onset", StringComparison.Ordinal));
        Assert.Contains(suspects.Single(s => s.Urn == cache).Reasons, r => r.StartsWith("anomalous only in an earlier episode", StringComparison.Ordinal));
    }

    [Fact]
    public void Rank_LoneStatementFindingMinutesBefore_IsNotWhereTheBurstBegan()
    {
        // payment's insert into charges blips once, 4 min before payment's CPU saturates and its latency (and that of
        // checkout, its caller) follows. The blip would make the table the earliest of the chain.
        using var world = new Scenario();
        var charges = Dataset("charges");
        world.Calls(Checkout, Payment).Edge(Payment, charges, EdgeKind.Writes);
        world.Finding(Payment, "anomaly.latency", FindingSeverity.Warning, 0.6, -4, "", new Evidence("latency", "span.duration{operation=INSERT charges}.p99", 79, 10, "window 60s"));
        world.Finding(Payment, "anomaly.metric", FindingSeverity.Critical, 1, 0.1);
        world.Finding(Payment, "anomaly.latency", FindingSeverity.Critical, 1, 0.1);
        world.Finding(Checkout, "anomaly.latency", FindingSeverity.Critical, 1, 0.1);
        world.Finding(Checkout, "anomaly.latency", FindingSeverity.Warning, 0.8, 1.1);

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.Equal(Payment, suspects[0].Urn);
        Assert.Contains(suspects.Single(s => s.Urn == charges).Reasons, r => r.StartsWith("anomalous only in an earlier episode", StringComparison.Ordinal));
    }

    [Fact]
    public void Rank_CallsToOneDependencyGotSlower_ThatDependencyIsTheRoot_EvenWithoutFindingsOfItsOwn()
    {
        // shipping got slow but its own alarms stay silent (a detector quiet after an earlier alarm); checkout and the
        // gateway alarm. checkout's calls to shipping went from 15 to 800 ms on average, its calls to payment did not.
        using var world = ShopWithTraffic(shippingAfterMs: 800, paymentAfterMs: 20);
        world.Finding(Checkout, "anomaly.latency", FindingSeverity.Critical, 0.9, 0);
        world.Finding(Gateway, "anomaly.latency", FindingSeverity.Critical, 0.9, 0);
        world.Finding(Gateway, "anomaly.latency", FindingSeverity.Warning, 0.7, 1);

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.Equal(Shipping, suspects[0].Urn);
        Assert.Contains(suspects[0].Reasons, r => r.Contains($"{Checkout}'s calls to it: 15 ms → 800 ms on average", StringComparison.Ordinal));
        Assert.DoesNotContain(suspects, s => s.Urn == Payment);
    }

    [Fact]
    public void Rank_EveryCallOfTheClientGotSlower_TheClientIsTheRoot()
    {
        // checkout's calls to both its dependencies slowed together: checkout is slow at calling (its CPU, its own
        // queue), not both of them at once.
        using var world = ShopWithTraffic(shippingAfterMs: 800, paymentAfterMs: 700);
        world.Finding(Checkout, "anomaly.latency", FindingSeverity.Critical, 0.9, 0);
        world.Finding(Gateway, "anomaly.latency", FindingSeverity.Critical, 0.9, 0);
        world.Finding(Gateway, "anomaly.latency", FindingSeverity.Warning, 0.7, 1);

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.Equal(Checkout, suspects[0].Urn);
        Assert.Contains(suspects[0].Reasons, r => r.Contains($"{Gateway}'s calls to it", StringComparison.Ordinal)); // the gateway's only dependency
        Assert.DoesNotContain(suspects, s => s.Urn != Checkout && s.Reasons.Any(r => r.Contains("calls to it got slower", StringComparison.Ordinal)));
    }

    [Fact]
    public void Rank_StatementsOnATableGotSlower_TheTableOutranksItsClient()
    {
        // catalog reads products, the gateway calls catalog. Neither the table nor a statement has a finding (the
        // statement's series is quiet), but catalog's reads went from 5 to 200 ms while its own answers slowed as
        // much: what catalog measures is the table. Without the edge latency the table only follows catalog.
        using var world = new Scenario();
        var (catalog, products, users) = (Service("catalog"), Dataset("products"), Dataset("users"));
        world.Calls(Gateway, catalog).Edge(catalog, products, EdgeKind.Reads).Edge(catalog, users, EdgeKind.Reads);
        world.Traffic(catalog, products, EdgeKind.Reads, -40, -1, 5).Traffic(catalog, products, EdgeKind.Reads, 0, 6, 200);
        world.Traffic(catalog, users, EdgeKind.Reads, -40, 6, 4);
        world.Traffic(Gateway, catalog, EdgeKind.Calls, -40, -1, 30).Traffic(Gateway, catalog, EdgeKind.Calls, 0, 6, 230);
        world.Finding(catalog, "anomaly.latency", FindingSeverity.Warning, 0.6, 0);
        world.Finding(Gateway, "anomaly.latency", FindingSeverity.Warning, 0.6, 0);
        world.Finding(Gateway, "anomaly.latency", FindingSeverity.Warning, 0.7, 1);

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.Equal([products, catalog], suspects.Select(s => s.Urn).Take(2));
        Assert.DoesNotContain(suspects, s => s.Urn == users);
    }

    /// <summary>The gateway calls checkout, which calls shipping and payment; traffic from 40 min before minute 0 to 6 min after.</summary>
    private static Scenario ShopWithTraffic(double shippingAfterMs, double paymentAfterMs)
    {
        var world = new Scenario();
        world.Calls(Gateway, Checkout).Calls(Checkout, Shipping).Calls(Checkout, Payment);
        world.Traffic(Checkout, Shipping, EdgeKind.Calls, -40, -1, 15).Traffic(Checkout, Shipping, EdgeKind.Calls, 0, 6, shippingAfterMs);
        world.Traffic(Checkout, Payment, EdgeKind.Calls, -40, -1, 20).Traffic(Checkout, Payment, EdgeKind.Calls, 0, 6, paymentAfterMs);
        world.Traffic(Gateway, Checkout, EdgeKind.Calls, -40, -1, 60).Traffic(Gateway, Checkout, EdgeKind.Calls, 0, 6, 60 + shippingAfterMs);
        return world;
    }
}
