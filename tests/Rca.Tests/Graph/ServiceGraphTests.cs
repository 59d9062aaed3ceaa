using Autopilot.Rca.Graph;
using Autopilot.Rca.Tests.TestSupport;
using static Autopilot.Rca.Tests.TestSupport.Traces;

namespace Autopilot.Rca.Tests.Graph;

/// <summary>Calls edges from client/server span pairs, as the Collector's servicegraph connector pairs them.</summary>
public sealed class ServiceGraphTests
{
    private static readonly string Frontend = ServiceUrn("frontend");
    private static readonly string Checkout = ServiceUrn("checkout");

    [Fact]
    public void Calls_ClientAndServerSpansOfTwoServices_OneEdgeWithRequestsErrorsAndLatency()
    {
        using var h = new GraphHarness();
        var traces = new Traces();
        for (var i = 0; i < 10; i++)
        {
            var trace = (ulong)(i + 1);
            traces.Service("frontend").Span(trace, 0x100 + (ulong)i, 0, 3, "POST /checkout", T0 + (i * Second), 10 + i, error: i < 2);
            traces.Service("checkout").Span(trace, 0x200 + (ulong)i, 0x100 + (ulong)i, 2, "POST /checkout", T0 + (i * Second) + 1_000_000, 8 + i, error: i == 9);
        }

        h.Apply(traces);

        var edge = h.Edge(Frontend, Checkout, EdgeKind.Calls);
        Assert.Equal(10, edge.Stats.Requests);
        Assert.Equal(3, edge.Stats.Errors); // two failed on the client, one only on the server
        Assert.Equal(145, edge.Stats.LatencySumMs, 6); // client durations 10..19 ms
        Assert.InRange(edge.Stats.LatencyP95Ms, 19 * 0.9, 19); // nearest-rank p95 of 10..19 is 19; buckets are 10 % wide
        Assert.Equal(T0, edge.ValidFromUnixNano);
        Assert.Null(edge.ValidToUnixNano);
        Assert.Equal(0, h.Builder.PendingSpans);
        Assert.DoesNotContain(h.Graph.EdgesOf(Checkout), e => e.From == Checkout);
    }

    [Fact]
    public void Calls_ServerSpanArrivesFirstInAnEarlierRequest_StillPairs()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces().Service("checkout").Span(7, 0x20, 0x10, 2, "GET /cart", T0 + 2_000_000, 5));
        Assert.Equal(1, h.Builder.PendingSpans);
        Assert.Empty(h.Graph.EdgesOf(Checkout));

        h.Apply(new Traces().Service("frontend").Span(7, 0x10, 0x01, 3, "GET /cart", T0, 9));

        var edge = h.Edge(Frontend, Checkout, EdgeKind.Calls);
        Assert.Equal((1L, 0L, 9d), (edge.Stats.Requests, edge.Stats.Errors, edge.Stats.LatencySumMs));
        Assert.Equal(0, h.Builder.PendingSpans);
    }

    [Fact]
    public void Calls_DifferentTraceWithTheSameSpanId_DoesNotPair()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces()
            .Service("frontend").Span(1, 0x10, 0, 3, "GET /", T0, 5)
            .Service("checkout").Span(2, 0x20, 0x10, 2, "GET /", T0, 4));

        Assert.Empty(h.Graph.EdgesOf(Frontend));
        Assert.Equal(2, h.Builder.PendingSpans);
    }

    [Fact]
    public void Calls_UnpairedClientNamingItsPeer_ExpiresIntoAVirtualService()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces().Service("frontend").Span(1, 0x10, 0, 3, "charge", T0, 30, false, ("peer.service", "payments")));
        Assert.Empty(h.Graph.EdgesOf(Frontend));

        // Spans ending past the client's end + the 15 s pairing window move the span watermark past it.
        h.Apply(new Traces().Service("other").Span(2, 0x99, 0, 1, "tick", T0 + Minute, 1));

        var payments = ServiceUrn("payments");
        var edge = h.Edge(Frontend, payments, EdgeKind.Calls);
        Assert.Equal((1L, 30d), (edge.Stats.Requests, edge.Stats.LatencySumMs));
        Assert.Equal("true", h.Graph.Node(payments)!.Properties["virtual"]);
        Assert.Equal(0, h.Builder.PendingSpans);
    }

    [Fact]
    public void Calls_UnpairedClientWithServerAddressOnly_UsesTheAddress_AndVirtualPeersCanBeTurnedOff()
    {
        using var on = new GraphHarness();
        using var off = new GraphHarness(o => o.VirtualPeers = false);
        foreach (var h in new[] { on, off })
        {
            h.Apply(new Traces().Service("frontend").Span(1, 0x10, 0, 3, "GET", T0, 3, false, ("server.address", "api.example.com")));
            h.Apply(new Traces().Service("other").Span(2, 0x99, 0, 1, "tick", T0 + Minute, 1));
        }

        on.Edge(Frontend, ServiceUrn("api.example.com"), EdgeKind.Calls);
        Assert.Empty(off.Graph.EdgesOf(Frontend));
        Assert.Null(off.Graph.Node(ServiceUrn("api.example.com")));
    }

    [Fact]
    public void Calls_UnpairedServerSpan_ExpiresWithoutAnEdge()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces().Service("checkout").Span(1, 0x20, 0x10, 2, "GET", T0, 3));
        Assert.Equal(1, h.Builder.PendingSpans);

        h.Apply(new Traces().Service("other").Span(2, 0x99, 0, 1, "tick", T0 + Minute, 1));

        Assert.Equal(0, h.Builder.PendingSpans);
        Assert.Empty(h.Graph.EdgesOf(Checkout));
    }

    [Fact]
    public void Calls_WithinThePairingWindow_TheHalfStillWaits()
    {
        using var h = new GraphHarness(o => o.PairingWindow = TimeSpan.FromSeconds(30));
        h.Apply(new Traces().Service("frontend").Span(1, 0x10, 0, 3, "GET", T0, 5));
        h.Apply(new Traces().Service("other").Span(2, 0x99, 0, 1, "tick", T0 + (20 * Second), 1));
        Assert.Equal(1, h.Builder.PendingSpans);

        h.Apply(new Traces().Service("checkout").Span(1, 0x20, 0x10, 2, "GET", T0 + 1_000_000, 3));

        Assert.Equal(1, h.Edge(Frontend, Checkout, EdgeKind.Calls).Stats.Requests);
    }

    [Fact]
    public void Pairing_StoreFull_EvictsTheHalfDueFirst()
    {
        using var h = new GraphHarness(o => o.MaxPendingPairs = 2);
        h.Apply(new Traces()
            .Service("frontend")
            .Span(1, 0x10, 0, 3, "a", T0, 1, false, ("peer.service", "first"))
            .Span(2, 0x11, 0, 3, "b", T0 + Second, 1)
            .Span(3, 0x12, 0, 3, "c", T0 + (2 * Second), 1));

        Assert.Equal(2, h.Builder.PendingSpans);

        // The evicted one (due first) named its peer, so it became a virtual call at once.
        Assert.Equal(1, h.Edge(Frontend, ServiceUrn("first"), EdgeKind.Calls).Stats.Requests);

        // The two that stayed still pair.
        h.Apply(new Traces().Service("checkout").Span(2, 0x21, 0x11, 2, "b", T0 + Second, 1).Span(3, 0x22, 0x12, 2, "c", T0 + (2 * Second), 1));
        Assert.Equal(2, h.Edge(Frontend, Checkout, EdgeKind.Calls).Stats.Requests);
    }

    [Fact]
    public void Calls_ServiceCallingItself_MakesNoEdge()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces().Service("frontend").Span(1, 0x10, 0, 3, "GET", T0, 3).Span(1, 0x11, 0x10, 2, "GET", T0, 2));

        Assert.Empty(h.Graph.EdgesOf(Frontend));
        Assert.Equal(0, h.Builder.PendingSpans);
    }

    [Fact]
    public void Calls_SameServiceNameInAnotherEnvironment_IsAnotherNode()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces()
            .Service("frontend", "staging").Span(1, 0x10, 0, 3, "GET", T0, 3)
            .Service("checkout", "staging").Span(1, 0x20, 0x10, 2, "GET", T0, 2));

        h.Edge(ServiceUrn("frontend", "staging"), ServiceUrn("checkout", "staging"), EdgeKind.Calls);
        Assert.Null(h.Graph.Node(Frontend));
    }
}
