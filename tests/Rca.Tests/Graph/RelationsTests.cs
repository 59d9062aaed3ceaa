using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Rca.Tests.TestSupport;
using static Autopilot.Rca.Tests.TestSupport.Traces;

namespace Autopilot.Rca.Tests.Graph;

/// <summary>Graph adjacency for the incident correlator (<see cref="IAssetRelations"/>).</summary>
public sealed class RelationsTests
{
    private static readonly string Web = ServiceUrn("web");
    private static readonly string Api = ServiceUrn("api");
    private static readonly string Db = ServiceUrn("db");
    private static readonly string Ledger = ServiceUrn("ledger");

    [Fact]
    public void AreRelated_WithinTwoHopsEitherWay_ThreeHopsAreNot()
    {
        using var h = Chain();
        var relations = h.Builder.Relations;

        Assert.True(relations.AreRelated(Web, Api));
        Assert.True(relations.AreRelated(Web, Db));
        Assert.True(relations.AreRelated(Db, Web));
        Assert.False(relations.AreRelated(Web, Ledger));
        Assert.True(relations.AreRelated(Api, Ledger));
        Assert.True(relations.AreRelated(Ledger, Ledger));
        Assert.False(relations.AreRelated(Web, ServiceUrn("unknown")));
    }

    [Fact]
    public void AreRelated_AfterTheMiddleEdgeClosesAsIdle_IsFalse()
    {
        using var h = Chain();
        Assert.True(h.Builder.Relations.AreRelated(Web, Db));

        // Two hours on, only web → api is still called.
        h.Apply(new Traces().Service("web").Span(50, 0x50, 0, 3, "GET", T0 + (120 * Minute), 3).Service("api").Span(50, 0x51, 0x50, 2, "GET", T0 + (120 * Minute), 2));
        h.Builder.Flush();

        Assert.True(h.Builder.Relations.AreRelated(Web, Api));
        Assert.False(h.Builder.Relations.AreRelated(Web, Db));
    }

    [Fact]
    public async Task Correlator_FindingsOnAssetsTwoHopsApart_JoinOneIncident_AFarOneOpensAnother()
    {
        using var h = Chain();
        var directory = Path.Combine(h.Directory, "engines");
        using var store = new SqliteEngineStore(Path.Combine(directory, "engines.db"));
        var correlator = new IncidentCorrelator(new EngineOptions(), store, relations: h.Builder.Relations);

        // Different windows and no shared traces: only the graph relates them.
        await correlator.OnFindingsAsync(new[] { Finding(Db, T0) }, CancellationToken.None);
        await correlator.OnFindingsAsync(new[] { Finding(Web, T0 + Minute) }, CancellationToken.None);
        await correlator.OnFindingsAsync(new[] { Finding(ServiceUrn("elsewhere"), T0 + (2 * Minute)) }, CancellationToken.None);

        var incidents = store.QueryIncidents(new IncidentQuery());
        Assert.Equal(2, incidents.Count);
        var joined = Assert.Single(incidents, i => i.AffectedUrns.Contains(Db));
        Assert.Contains(Web, joined.AffectedUrns);
        Assert.DoesNotContain(ServiceUrn("elsewhere"), joined.AffectedUrns);
    }

    [Fact]
    public async Task Correlator_RelatedOnlyToAnAssetWhoseFindingsAreOld_OpensAnotherIncident()
    {
        using var h = Chain();
        var directory = Path.Combine(h.Directory, "engines");
        using var store = new SqliteEngineStore(Path.Combine(directory, "engines.db"));
        var correlator = new IncidentCorrelator(new EngineOptions(), store, relations: h.Builder.Relations);

        // db fails once; web (two hops from db) joins and keeps failing, which keeps the incident open. Then ledger
        // fails: one hop from db, whose last finding is 25 min old (past the 15-min window), three from web.
        await correlator.OnFindingsAsync(new[] { Finding(Db, T0) }, CancellationToken.None);
        await correlator.OnFindingsAsync(new[] { Finding(Web, T0 + Minute) }, CancellationToken.None);
        await correlator.OnFindingsAsync(new[] { Finding(Web, T0 + (12 * Minute)) }, CancellationToken.None);
        await correlator.OnFindingsAsync(new[] { Finding(Web, T0 + (20 * Minute)) }, CancellationToken.None);
        await correlator.OnFindingsAsync(new[] { Finding(Ledger, T0 + (25 * Minute)) }, CancellationToken.None);

        var incidents = store.QueryIncidents(new IncidentQuery());
        Assert.Equal(2, incidents.Count);
        var first = Assert.Single(incidents, i => i.AffectedUrns.Contains(Db));
        Assert.Equal([Db, Web], first.AffectedUrns.Order(StringComparer.Ordinal));
        var second = Assert.Single(incidents, i => i.AffectedUrns.Contains(Ledger));
        Assert.Equal([Ledger], second.AffectedUrns);
    }

    /// <summary>web → api → db → ledger (calls).</summary>
    private static GraphHarness Chain()
    {
        var h = new GraphHarness();
        h.Apply(new Traces()
            .Service("web").Span(1, 0x10, 0, 3, "GET", T0, 5)
            .Service("api").Span(1, 0x11, 0x10, 2, "GET", T0, 4).Span(1, 0x12, 0x11, 3, "query", T0, 2)
            .Service("db").Span(1, 0x14, 0x12, 2, "query", T0, 1).Span(1, 0x16, 0x14, 3, "post", T0, 1)
            .Service("ledger").Span(1, 0x15, 0x16, 2, "post", T0, 1));
        return h;
    }

    private static Finding Finding(string urn, long time) =>
        Autopilot.Engines.Findings.Finding.Create("dq.error_rate", "dq.error_rate", urn, FindingSeverity.Warning, 0.5, time - Minute, time, time, $"errors on {urn}");
}
