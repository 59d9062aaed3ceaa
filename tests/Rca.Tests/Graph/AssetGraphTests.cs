using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Tests.Graph;

public sealed class AssetGraphTests
{
    private const long T0 = 1_700_000_000_000_000_000;
    private const long Hour = 3_600_000_000_000;

    [Fact]
    public void Node_ReadAsOf_ReturnsTheVersionValidThen()
    {
        var graph = new AssetGraph();
        graph.UpsertNode("urn:autopilot:service:prod:api", "service", T0, new Dictionary<string, string> { ["service.version"] = "1" });
        graph.UpsertNode("urn:autopilot:service:prod:api", "service", T0 + Hour, new Dictionary<string, string> { ["service.version"] = "1" });
        graph.UpsertNode("urn:autopilot:service:prod:api", "service", T0 + (2 * Hour), new Dictionary<string, string> { ["service.version"] = "2" });

        Assert.Null(graph.Node("urn:autopilot:service:prod:api", T0 - 1));
        Assert.Equal("1", graph.Node("urn:autopilot:service:prod:api", T0 + Hour)!.Properties["service.version"]);
        Assert.Equal("2", graph.Node("urn:autopilot:service:prod:api", T0 + (2 * Hour))!.Properties["service.version"]);
        Assert.Equal("2", graph.Node("urn:autopilot:service:prod:api")!.Properties["service.version"]);
        Assert.Equal(T0 + (2 * Hour), graph.Node("urn:autopilot:service:prod:api", T0 + Hour)!.ValidToUnixNano);
    }

    [Fact]
    public void Traffic_OneSampleAMinute_TheLastHourOfTheCurrentVersion()
    {
        const long Minute = 60_000_000_000;
        var graph = new AssetGraph();
        for (var minute = 0; minute < 90; minute++)
        {
            // Two observations a minute: the sample of a minute is the later one.
            graph.ObserveEdge("a", "b", EdgeKind.Calls, T0 + (minute * Minute), new EdgeStats(10, 1, 100, 12));
            graph.ObserveEdge("a", "b", EdgeKind.Calls, T0 + (minute * Minute) + (Minute / 2), new EdgeStats(10, 0, 300, 40));
        }

        var samples = graph.Traffic("a", "b", EdgeKind.Calls);

        Assert.Equal(60, samples.Count);
        Assert.Equal(T0 + (30 * Minute) + (Minute / 2), samples[0].AtUnixNano);
        Assert.Equal(31 * 20, samples[0].Requests);
        Assert.Equal(31 * 1, samples[0].Errors);
        Assert.Equal(31 * 400, samples[0].LatencySumMs);
        Assert.Equal(90 * 20, samples[^1].Requests);
        Assert.Empty(graph.Traffic("b", "a", EdgeKind.Calls));

        // A new version of the edge counts from zero again: the old version's samples are gone.
        graph.CloseEdge("a", "b", EdgeKind.Calls, T0 + (91 * Minute));
        graph.ObserveEdge("a", "b", EdgeKind.Calls, T0 + (100 * Minute), new EdgeStats(7, 0, 70, 10));
        var fresh = Assert.Single(graph.Traffic("a", "b", EdgeKind.Calls));
        Assert.Equal(7, fresh.Requests);
    }

    [Fact]
    public void Edge_ClosedThenSeenAgain_HasTwoVersionsAndAGapBetween()
    {
        var graph = new AssetGraph();
        graph.ObserveEdge("a", "b", EdgeKind.Calls, T0, new EdgeStats(10, 1, 100, 12));
        graph.ObserveEdge("a", "b", EdgeKind.Calls, T0 + 10, new EdgeStats(5, 2, 50, 20));
        Assert.True(graph.CloseEdge("a", "b", EdgeKind.Calls, T0 + Hour));
        Assert.False(graph.CloseEdge("a", "b", EdgeKind.Calls, T0 + Hour));
        graph.ObserveEdge("a", "b", EdgeKind.Calls, T0 + (3 * Hour));

        var first = Assert.Single(graph.EdgesOf("a", T0 + 5));
        Assert.Equal(new EdgeStats(15, 3, 150, 20), first.Stats);
        Assert.Empty(graph.EdgesOf("b", T0 + (2 * Hour)));
        Assert.Single(graph.EdgesOf("b", T0 + (3 * Hour)));
        Assert.Equal(1, graph.EdgeCount);
        Assert.Equal(2, graph.EdgeVersionCount);
    }

    [Fact]
    public void Neighbourhood_StopsAtDepth_AndFaultDirectionFollowsTheEdgeKind()
    {
        var graph = new AssetGraph();
        foreach (var urn in new[] { "web", "api", "db", "topic", "consumer" })
        {
            graph.UpsertNode(urn, "service", T0);
        }

        graph.ObserveEdge("web", "api", EdgeKind.Calls, T0);
        graph.ObserveEdge("api", "db", EdgeKind.Writes, T0);
        graph.ObserveEdge("api", "topic", EdgeKind.Produces, T0);
        graph.ObserveEdge("topic", "consumer", EdgeKind.Consumes, T0);

        var one = graph.Neighbourhood("api", 1, T0);
        Assert.Equal(["api", "db", "topic", "web"], one.Nodes.Select(n => n.Urn));
        Assert.Equal(3, one.Edges.Count);
        Assert.Equal(5, graph.Neighbourhood("api", 2, T0).Nodes.Count);

        var call = graph.EdgesOf("web").Single();
        Assert.Equal("api", call.Upstream());
        Assert.Equal("web", call.Downstream());
        var consume = graph.EdgesOf("consumer").Single();
        Assert.Equal("topic", consume.Upstream());
    }

    [Fact]
    public void Changes_ReturnsOnlyTheWindowInTimeOrder_WithoutRepeats()
    {
        var graph = new AssetGraph();
        var deploy = new ChangeEvent("api", "deploy", T0 + 20, "1", "2", "api 1 → 2");
        graph.AddChange(deploy);
        graph.AddChange(deploy);
        graph.AddChange(new ChangeEvent("db", "schema", T0 + 10, "v1", "v2", "db schema v2"));
        graph.AddChange(new ChangeEvent("api", "deploy", T0 + 100, "2", "3", "api 2 → 3"));

        var changes = graph.Changes(["api", "db"], T0, T0 + 50);

        Assert.Equal(["db schema v2", "api 1 → 2"], changes.Select(c => c.Description));
    }

    [Fact]
    public void Apply_SameVersionNumber_Replaces_NextNumberAppends()
    {
        var graph = new AssetGraph();
        graph.Apply([], [new EdgeVersion(new GraphEdge("a", "b", EdgeKind.Calls, T0, null, new EdgeStats(1, 0, 1, 1)), 0, T0)], []);
        graph.Apply([], [new EdgeVersion(new GraphEdge("a", "b", EdgeKind.Calls, T0, null, new EdgeStats(5, 1, 9, 2)), 0, T0)], []);
        Assert.Equal(5, graph.EdgesOf("a").Single().Stats.Requests);
        var topology = graph.TopologyVersion;

        graph.Apply([], [new EdgeVersion(new GraphEdge("a", "b", EdgeKind.Calls, T0, T0 + 10, new EdgeStats(5, 1, 9, 2)), 0, T0 + 9)], []);
        Assert.True(graph.TopologyVersion > topology, "closing an edge changes the topology");
        graph.Apply([], [new EdgeVersion(new GraphEdge("a", "b", EdgeKind.Calls, T0 + Hour, null, new EdgeStats(1, 0, 1, 1)), 1, T0 + Hour)], []);

        Assert.Equal(2, graph.EdgeVersionCount);
        Assert.Equal(5, graph.EdgesOf("a", T0 + 1).Single().Stats.Requests);
        Assert.Equal(1, graph.EdgesOf("a").Single().Stats.Requests);
    }

    [Fact]
    public void Overview_MoreNodesThanTheLimit_IsTruncatedToTheFirstByUrn_WithTheEdgesAmongThem()
    {
        var graph = new AssetGraph();
        foreach (var urn in new[] { "d", "b", "a", "c" })
        {
            graph.UpsertNode(urn, "service", T0);
        }

        graph.ObserveEdge("a", "b", EdgeKind.Calls, T0);
        graph.ObserveEdge("b", "d", EdgeKind.Calls, T0);

        var view = graph.Overview(2, null, out var truncated);

        Assert.True(truncated);
        Assert.Equal(["a", "b"], view.Nodes.Select(n => n.Urn));
        Assert.Equal(("a", "b"), (view.Edges.Single().From, view.Edges.Single().To));
        graph.Overview(10, null, out truncated);
        Assert.False(truncated);
        Assert.Empty(graph.Overview(10, T0 - 1, out _).Nodes);
    }

    [Fact]
    public void WithinHops_FollowsOpenEdgesOnly()
    {
        var graph = new AssetGraph();
        graph.ObserveEdge("a", "b", EdgeKind.Calls, T0);
        graph.ObserveEdge("c", "b", EdgeKind.Calls, T0);
        graph.ObserveEdge("c", "d", EdgeKind.Writes, T0);

        Assert.Equal(["a", "b", "c"], graph.WithinHops("a", 2).Order());
        Assert.Equal(["a", "b", "c", "d"], graph.WithinHops("a", 3).Order());
        graph.CloseEdge("c", "b", EdgeKind.Calls, T0 + 1);
        Assert.Equal(["a", "b"], graph.WithinHops("a", 3).Order());
    }

    [Fact]
    public void Prune_DropsEndedVersionsAndOldChanges_KeepsOpenOnes()
    {
        var graph = new AssetGraph();
        graph.ObserveEdge("a", "b", EdgeKind.Calls, T0);
        graph.CloseEdge("a", "b", EdgeKind.Calls, T0 + 10);
        graph.ObserveEdge("a", "b", EdgeKind.Calls, T0 + Hour);
        graph.ObserveEdge("x", "y", EdgeKind.Reads, T0);
        graph.CloseEdge("x", "y", EdgeKind.Reads, T0 + 5);
        graph.AddChange(new ChangeEvent("a", "deploy", T0, "1", "2", "old"));
        graph.AddChange(new ChangeEvent("a", "deploy", T0 + (2 * Hour), "2", "3", "new"));

        graph.Prune(T0 + Hour);

        Assert.Equal(1, graph.EdgeCount);
        Assert.Equal(1, graph.EdgeVersionCount);
        Assert.False(graph.Contains("x"));
        Assert.Equal(["new"], graph.Changes(["a"], 0, long.MaxValue).Select(c => c.Description));
        Assert.Single(graph.EdgesOf("a"));
    }
}
