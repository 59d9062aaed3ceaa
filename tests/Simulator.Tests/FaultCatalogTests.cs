using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Tests;

/// <summary>Ground truth of each fault kind: the root URN and the assets the fault can reach through the topology.</summary>
public sealed class FaultCatalogTests
{
    private static readonly ShopTopology Topology = ShopTopology.Default();

    private static string Service(string name) => ShopTopology.ServiceUrn("sim", name);

    [Fact]
    public void Latency_OnPayment_ReachesItsCallersAndWhatCheckoutDoesAfterThePayment_NotTheSiblingsBefore()
    {
        var fault = FaultCatalog.Create(FaultKind.Latency, Topology, "sim", "payment");
        Assert.Equal(Service("payment"), fault.RootUrn);
        Assert.Equal(fault.RootUrn, fault.AffectedUrns[0]);
        Assert.Superset(new HashSet<string>(
        [
            Service("checkout"), Service("api-gateway"), Service("web-frontend"), Service("shipping"),
            ShopTopology.TableUrn("shop", "orders"), ShopTopology.TopicUrn("orders"), Service("notification"), Service("fulfillment"),
        ]), new HashSet<string>(fault.AffectedUrns));
        Assert.DoesNotContain(Service("catalog"), fault.AffectedUrns);
        Assert.DoesNotContain(Service("inventory"), fault.AffectedUrns);
        Assert.DoesNotContain(ShopTopology.TableUrn("payments", "charges"), fault.AffectedUrns);
    }

    [Fact]
    public void DeployErrors_FailsFast_SoTheServicesOwnTablesAreReachedToo()
    {
        var fault = FaultCatalog.Create(FaultKind.DeployErrors, Topology, "sim", "payment");
        Assert.Contains(ShopTopology.TableUrn("payments", "charges"), fault.AffectedUrns);
        Assert.Equal("1.5.0", fault.NewVersion);
    }

    [Fact]
    public void SlowDatabase_RootIsTheTable_AndItReachesTheServicesUsingIt()
    {
        var fault = FaultCatalog.Create(FaultKind.SlowDatabase, Topology, "sim", "catalog.products");
        Assert.Equal("urn:autopilot:dataset:postgresql/catalog:products", fault.RootUrn);
        Assert.Superset(new HashSet<string>([Service("catalog"), Service("recommendation"), Service("api-gateway"), Service("web-frontend")]), new HashSet<string>(fault.AffectedUrns));
        Assert.DoesNotContain(Service("checkout"), fault.AffectedUrns);
    }

    [Fact]
    public void StaleDataset_RootIsTheStoppedJob_ReachingOnlyWhatItWrites()
    {
        var fault = FaultCatalog.Create(FaultKind.StaleDataset, Topology, "sim", "etl.orders_daily");
        Assert.Equal("urn:autopilot:job:scheduler:etl.orders_daily", fault.RootUrn);
        Assert.Equal(["urn:autopilot:job:scheduler:etl.orders_daily", "urn:autopilot:dataset:postgresql/analytics:orders_daily"], fault.AffectedUrns);
    }

    [Fact]
    public void SchemaChange_RootIsTheChangedDataset_ReachingTheJobsReadingIt()
    {
        var fault = FaultCatalog.Create(FaultKind.SchemaChange, Topology, "sim", "etl.orders_daily");
        Assert.Equal("urn:autopilot:dataset:postgresql/analytics:orders_daily", fault.RootUrn);
        Assert.Equal(
            ["urn:autopilot:dataset:postgresql/analytics:orders_daily", "urn:autopilot:job:scheduler:reporting.revenue_daily", "urn:autopilot:dataset:postgresql/analytics:revenue_daily"],
            fault.AffectedUrns);
    }

    [Fact]
    public void Create_UnknownTarget_NamesTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => FaultCatalog.Create(FaultKind.Latency, Topology, "sim", "web-frontend"));
        Assert.Contains("payment", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scenario_SameSeed_SameFaultAndTimeline_EndingOnAFiveMinuteBoundaryAfterTheWarmup()
    {
        var now = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
        foreach (var kind in FaultKinds.All)
        {
            var a = Scenario.Create(kind, 42, Topology, "sim", now: now);
            var b = Scenario.Create(kind, 42, Topology, "sim", now: now);
            Assert.Equal(a.Fault.Description, b.Fault.Description);
            Assert.Equal(a.Onset, b.Onset);
            Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), a.Start);
            Assert.True(a.Healthy >= Scenario.MinHealthy);
            Assert.Equal(0, a.End.UtcTicks % Scenario.EndAlignment.Ticks);
            Assert.True(a.End < now);
            Assert.True(FaultKinds.TryParse(FaultKinds.Name(kind), out var parsed) && parsed == kind);
        }

        var seeds = Enumerable.Range(1, 20).Select(seed => Scenario.Create(FaultKind.Latency, seed, Topology, "sim", now: now)).ToList();
        Assert.True(seeds.Select(s => s.Fault.Target).Distinct().Count() > 2, "targets do not vary with the seed");
        Assert.True(seeds.Select(s => s.Onset).Distinct().Count() > 10, "onsets do not vary with the seed");
    }
}
