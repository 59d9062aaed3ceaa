using System.Text.Json;
using Autopilot.Rca.Graph;
using Autopilot.Rca.Tests.TestSupport;
using static Autopilot.Rca.Tests.TestSupport.Traces;

namespace Autopilot.Rca.Tests.Graph;

/// <summary>Valid-from / valid-to of nodes and edges: idle closing, as-of reads, retention, and event time only.</summary>
public sealed class HistoryTests
{
    private const long Hour = 60 * Minute;
    private static readonly string Frontend = ServiceUrn("frontend");
    private static readonly string Checkout = ServiceUrn("checkout");

    [Fact]
    public void IdleEdge_ClosesAtItsLastSighting_SeenAgainItOpensANewVersionWithFreshStats()
    {
        using var h = new GraphHarness();
        h.Apply(Pair(1, T0, 5));
        h.Apply(Pair(2, T0 + Minute, 7));

        // Two hours of other traffic (event time) and a flush: the call edge has been idle past the 1 h default.
        h.Apply(new Traces().Service("other").Span(90, 0x90, 0, 1, "tick", T0 + (2 * Hour), 1));
        h.Builder.Flush();

        var closed = h.Edge(Frontend, Checkout, EdgeKind.Calls, at: T0 + Minute);
        Assert.Equal(T0 + Minute + 1, closed.ValidToUnixNano);
        Assert.Equal(2, closed.Stats.Requests);
        Assert.Empty(h.Graph.EdgesOf(Frontend, T0 + Hour));
        Assert.Empty(h.Graph.EdgesOf(Frontend));

        h.Apply(Pair(3, T0 + (3 * Hour), 11));

        var current = h.Edge(Frontend, Checkout, EdgeKind.Calls);
        Assert.Equal((1L, 11d, T0 + (3 * Hour)), (current.Stats.Requests, current.Stats.LatencySumMs, current.ValidFromUnixNano));
        Assert.Equal(2, h.Edge(Frontend, Checkout, EdgeKind.Calls, at: T0).Stats.Requests);
        Assert.Equal(2, h.Graph.EdgeVersionCount);
        Assert.Equal(1, h.Graph.EdgeCount);
    }

    [Fact]
    public void History_DoesNotDependOnWhenTheIdleSweepRuns()
    {
        // The same log, once with a flush (and idle sweep) after every request and once with none until the end.
        var batches = new List<Traces>
        {
            Pair(1, T0, 5),
            new Traces().Service("other").Span(90, 0x90, 0, 1, "tick", T0 + (50 * Minute), 1),
            new Traces().Service("other").Span(91, 0x91, 0, 1, "tick", T0 + (70 * Minute), 1),
            Pair(2, T0 + (55 * Minute), 6), // late: within the idle timeout of the last sighting, so the same version
            new Traces().Service("other").Span(92, 0x92, 0, 1, "tick", T0 + (4 * Hour), 1),
            Pair(3, T0 + (5 * Hour), 7), // after a gap: a new version
        };
        using var eager = new GraphHarness();
        using var lazy = new GraphHarness();
        foreach (var batch in batches)
        {
            var signals = batch.Decode();
            eager.Apply(signals);
            eager.Builder.Flush();
            lazy.Apply(signals);
        }

        eager.Builder.Flush();
        lazy.Builder.Flush();

        Assert.Equal(Json(eager.Graph), Json(lazy.Graph));
        Assert.Equal(2, lazy.Graph.EdgeVersionCount);
        Assert.Equal(2, lazy.Edge(Frontend, Checkout, EdgeKind.Calls, at: T0).Stats.Requests);
    }

    [Fact]
    public void SameLog_TwoFreshBuilders_BuildTheSameGraph_WallClockPlaysNoPart()
    {
        var log = new List<Traces>();
        for (var i = 0; i < 20; i++)
        {
            log.Add(Pair((ulong)i + 1, T0 + (i * 7 * Minute), 5 + i));
        }

        log.Add(new Traces().Service("checkout", version: "1").Span(98, 0x98, 0, 2, "GET", T0 + Hour, 1));
        log.Add(new Traces().Service("checkout", version: "2").Span(99, 0x99, 0, 2, "GET", T0 + (3 * Hour), 1));
        using var first = new GraphHarness();
        using var second = new GraphHarness();
        foreach (var batch in log)
        {
            var signals = batch.Decode();
            first.Apply(signals);
            second.Apply(signals);
        }

        first.Builder.Flush();
        second.Builder.Flush();
        Assert.Equal(Json(first.Graph), Json(second.Graph));
        Assert.Single(first.Graph.Changes([Checkout], 0, long.MaxValue));
    }

    [Fact]
    public void IdleNode_ClosesAfterTheNodeTimeout_AndReopensAsANewVersion()
    {
        using var h = new GraphHarness(o => o.NodeIdleTimeout = TimeSpan.FromHours(2));
        h.Apply(new Traces().Service("batch").Span(1, 0x10, 0, 1, "run", T0, 1));
        h.Apply(new Traces().Service("other").Span(2, 0x11, 0, 1, "tick", T0 + (3 * Hour), 1));
        h.Builder.Flush();

        var urn = ServiceUrn("batch");
        Assert.Null(h.Graph.Node(urn));
        Assert.Equal(T0 + 1, h.Graph.Node(urn, T0)!.ValidToUnixNano);

        h.Apply(new Traces().Service("batch").Span(3, 0x12, 0, 1, "run", T0 + (5 * Hour), 1));
        Assert.Equal(T0 + (5 * Hour), h.Graph.Node(urn)!.ValidFromUnixNano);
        Assert.Null(h.Graph.Node(urn, T0 + (4 * Hour)));
    }

    [Fact]
    public void Retention_DeletesHistoryThatEndedBeforeIt_InMemoryAndInTheStore()
    {
        using var h = new GraphHarness(o =>
        {
            o.Retention = TimeSpan.FromDays(10);
            o.NodeIdleTimeout = TimeSpan.FromDays(1);
        });
        h.Apply(Pair(1, T0, 5));
        h.Apply(new Traces().Service("frontend", version: "1").Span(5, 0x50, 0, 1, "x", T0 + Minute, 1));
        h.Apply(new Traces().Service("frontend", version: "2").Span(6, 0x51, 0, 1, "x", T0 + (2 * Hour), 1));
        h.Builder.Flush();
        Assert.Single(h.Graph.Changes([Frontend], 0, long.MaxValue));

        // 30 days later only the frontend still reports: the old call edge and checkout have ended long ago.
        h.Apply(new Traces().Service("frontend", version: "2").Span(7, 0x52, 0, 1, "x", T0 + (30 * 24 * Hour), 1));
        h.Builder.Flush();

        Assert.Equal(0, h.Graph.EdgeCount);
        Assert.False(h.Graph.Contains(Checkout));
        Assert.Empty(h.Graph.Changes([Frontend], 0, long.MaxValue));
        Assert.NotNull(h.Graph.Node(Frontend));

        h.Restart();
        Assert.Equal(0, h.Graph.EdgeCount);
        Assert.False(h.Graph.Contains(Checkout));
        Assert.Equal(1, h.Graph.NodeCount);
    }

    [Fact]
    public void Options_Invalid_AreRefusedNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentException>(() => new GraphBuilderOptions { Retention = TimeSpan.FromHours(1) }.Validate());
        Assert.Contains("graph.retention", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new GraphBuilderOptions { PairingWindow = TimeSpan.Zero }.Validate());
        Assert.Contains("graph.pairingWindow", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => new GraphBuilderOptions { RelationHops = 9 }.Validate());
        Assert.Contains("graph.relationHops", e.Message, StringComparison.Ordinal);
        new GraphBuilderOptions().Validate();
    }

    internal static Traces Pair(ulong trace, long start, double durationMs) =>
        new Traces()
            .Service("frontend").Span(trace, 0x1000 + trace, 0, 3, "GET /cart", start, durationMs)
            .Service("checkout").Span(trace, 0x2000 + trace, 0x1000 + trace, 2, "GET /cart", start + 1_000_000, durationMs - 1);

    private static string Json(AssetGraph graph)
    {
        var (nodes, edges, changes) = graph.Export();
        return JsonSerializer.Serialize(new
        {
            nodes = nodes.OrderBy(n => n.Urn, StringComparer.Ordinal).ThenBy(n => n.ValidFromUnixNano),
            edges = edges.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ThenBy(e => e.Kind).ThenBy(e => e.ValidFromUnixNano),
            changes = changes.OrderBy(c => c.TimeUnixNano).ThenBy(c => c.Urn, StringComparer.Ordinal),
        });
    }
}
