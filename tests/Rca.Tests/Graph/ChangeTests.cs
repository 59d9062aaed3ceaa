using Autopilot.Ingest.Receivers;
using Autopilot.Rca.Graph;
using Autopilot.Rca.Tests.TestSupport;
using static Autopilot.Rca.Tests.TestSupport.Traces;

namespace Autopilot.Rca.Tests.Graph;

/// <summary>Deploys (a new service.version), schema changes (a new fingerprint) and lifecycle changes, with the node versions they start.</summary>
public sealed class ChangeTests
{
    private static readonly string Checkout = ServiceUrn("checkout");

    [Fact]
    public void Deploy_NewServiceVersion_IsAChange_AndAsOfReadsSeeEachVersion()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces().Service("checkout", version: "1.4.0").Span(1, 0x10, 0, 2, "GET", T0, 3).Span(2, 0x11, 0, 2, "GET", T0 + Minute, 3));
        h.Apply(new Traces().Service("checkout", version: "1.5.0").Span(3, 0x12, 0, 2, "GET", T0 + (10 * Minute), 3));

        var change = Assert.Single(h.Graph.Changes([Checkout], 0, long.MaxValue));
        Assert.Equal(("deploy", T0 + (10 * Minute), "1.4.0", "1.5.0"), (change.Kind, change.TimeUnixNano, change.Before, change.After));
        Assert.Contains("1.4.0 → 1.5.0", change.Description, StringComparison.Ordinal);
        Assert.Equal("1.4.0", h.Graph.Node(Checkout, T0 + (5 * Minute))!.Properties["service.version"]);
        Assert.Equal("1.5.0", h.Graph.Node(Checkout, T0 + (10 * Minute))!.Properties["service.version"]);
        Assert.Equal("1.5.0", h.Graph.Node(Checkout)!.Properties["service.version"]);
        Assert.Equal(T0 + (10 * Minute), h.Graph.Node(Checkout, T0)!.ValidToUnixNano);
        Assert.Null(h.Graph.Node(Checkout, T0 - 1));
    }

    [Fact]
    public void Deploy_RollingUpdate_OldAndNewVersionsInterleaved_IsOneChange_ARollbackLaterIsAnother()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces().Service("checkout", version: "1").Span(1, 0x10, 0, 2, "GET", T0, 3));

        // Rollout: v2 appears while v1 pods still answer for a few minutes.
        for (var i = 1; i <= 4; i++)
        {
            h.Apply(new Traces()
                .Service("checkout", version: "2").Span((ulong)(10 + i), 0x20 + (ulong)i, 0, 2, "GET", T0 + (i * Minute), 3)
                .Service("checkout", version: "1").Span((ulong)(20 + i), 0x30 + (ulong)i, 0, 2, "GET", T0 + (i * Minute) + Second, 3));
        }

        Assert.Single(h.Graph.Changes([Checkout], 0, long.MaxValue));

        // v1 is gone for 20 minutes, then comes back: a rollback.
        h.Apply(new Traces().Service("checkout", version: "2").Span(40, 0x40, 0, 2, "GET", T0 + (10 * Minute), 3));
        h.Apply(new Traces().Service("checkout", version: "1").Span(41, 0x41, 0, 2, "GET", T0 + (25 * Minute), 3));

        var changes = h.Graph.Changes([Checkout], 0, long.MaxValue);
        Assert.Equal([("1", "2"), ("2", "1")], changes.Select(c => (c.Before, c.After)));
        Assert.Equal(T0 + Minute, changes[0].TimeUnixNano);
        Assert.Equal(T0 + (25 * Minute), changes[1].TimeUnixNano);
        Assert.Equal("1", h.Graph.Node(Checkout)!.Properties["service.version"]);
    }

    [Fact]
    public void Deploy_FirstVersionSeen_IsNotAChange()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces().Service("checkout").Span(1, 0x10, 0, 2, "GET", T0, 3));
        h.Apply(new Traces().Service("checkout", version: "7").Span(2, 0x11, 0, 2, "GET", T0 + Minute, 3));

        Assert.Empty(h.Graph.Changes([Checkout], 0, long.MaxValue));
        Assert.Equal("7", h.Graph.Node(Checkout)!.Properties["service.version"]);
    }

    [Fact]
    public void Schema_NewFingerprintOnTheOutput_IsAChangeNamingTheFields_AndLifecycleIsRecorded()
    {
        using var h = new GraphHarness();
        h.Apply(DecodeLineage(Lineage.Run("COMPLETE", "2026-01-01T00:00:00Z", Lineage.Fields(("id", "int"), ("email", "string"), ("phone", "string")))), IngestSignal.Lineage);
        h.Apply(DecodeLineage(Lineage.Run("COMPLETE", "2026-01-01T01:00:00Z", Lineage.Fields(("id", "int"), ("email", "string"), ("phone", "string")))), IngestSignal.Lineage);
        Assert.Empty(h.Graph.Changes([Lineage.Output], 0, long.MaxValue));

        h.Apply(DecodeLineage(Lineage.Run("COMPLETE", "2026-01-01T02:00:00Z", Lineage.Fields(("id", "bigint"), ("email", "string"), ("country", "string")), lifecycle: "OVERWRITE")), IngestSignal.Lineage);

        var changes = h.Graph.Changes([Lineage.Output], 0, long.MaxValue);
        var schema = Assert.Single(changes, c => c.Kind == "schema");
        Assert.Equal("public.orders schema changed: added country (string); removed phone; retyped id int → bigint", schema.Description);
        Assert.NotEqual(schema.Before, schema.After);
        var lifecycle = Assert.Single(changes, c => c.Kind == "lifecycle");
        Assert.Equal(("OVERWRITE", "public.orders OVERWRITE by load_orders"), (lifecycle.After, lifecycle.Description));

        var t1 = new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        Assert.Equal(schema.Before, h.Graph.Node(Lineage.Output, t1)!.Properties["schema.fingerprint"]);
        Assert.Equal(schema.After, h.Graph.Node(Lineage.Output)!.Properties["schema.fingerprint"]);
    }

    [Fact]
    public void Schema_InputDescribingAKnownDatasetDifferently_IsNotAChange()
    {
        // A reader may report the table in its own engine's types; only the writer's view changes the schema.
        using var h = new GraphHarness();
        h.Apply(DecodeLineage(Lineage.Run("COMPLETE", "2026-01-01T00:00:00Z", Lineage.Fields(("id", "int")))), IngestSignal.Lineage);
        var asInput = """
            {"eventType":"COMPLETE","eventTime":"2026-01-01T01:00:00Z","producer":"https://example.test/spark",
             "schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent",
             "run":{"runId":"6f1f2a2e-5c0e-4a8b-9d0a-6b3c6b2f0a11"},"job":{"namespace":"spark","name":"report"},
             "inputs":[{"namespace":"pg","name":"public.orders","facets":{"schema":{"_producer":"x","_schemaURL":"y","fields":[{"name":"id","type":"IntegerType"}]}}}],
             "outputs":[]}
            """;
        h.Apply(DecodeLineage(asInput), IngestSignal.Lineage);

        Assert.Empty(h.Graph.Changes([Lineage.Output], 0, long.MaxValue));
        h.Edge(Lineage.Output, Urn("job", "spark", "report"), EdgeKind.InputOf);
    }

    private static string Urn(string kind, string ns, string name) => Autopilot.Ingest.Signals.Urn.Create(kind, ns, name);
}
