using System.Text.Json.Nodes;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;
using Autopilot.Rca.Graph;
using Autopilot.Ingest.Tests.TestSupport;
using Autopilot.Rca.Tests.TestSupport;
using static Autopilot.Rca.Tests.TestSupport.Traces;

namespace Autopilot.Rca.Tests.Graph;

/// <summary>Produces / consumes (messaging spans), reads / writes (database spans) and OpenLineage edges.</summary>
public sealed class DataEdgeTests
{
    private static readonly string Checkout = ServiceUrn("checkout");
    private static readonly string Shipping = ServiceUrn("shipping");
    private static readonly string Orders = Urn.Create("topic", "kafka", "orders");
    private static readonly string OrdersTable = Urn.Create("dataset", "postgresql/shop", "orders");

    [Fact]
    public void Messaging_ProducerAndConsumerSpans_ConnectBothServicesThroughTheTopic()
    {
        using var h = new GraphHarness();
        var traces = new Traces().Service("checkout");
        for (var i = 0; i < 4; i++)
        {
            traces.Span((ulong)i + 1, 0x30 + (ulong)i, 0, 4, "orders publish", T0 + (i * Second), 2, error: i == 3,
                ("messaging.system", "kafka"), ("messaging.destination.name", "orders"), ("messaging.operation.type", "send"));
        }

        traces.Service("shipping");
        for (var i = 0; i < 3; i++)
        {
            traces.Span((ulong)i + 1, 0x40 + (ulong)i, 0x30 + (ulong)i, 5, "orders process", T0 + (i * Second) + 5_000_000, 7,
                false, ("messaging.system", "kafka"), ("messaging.destination.name", "orders"), ("messaging.operation.type", "process"));
        }

        h.Apply(traces);

        var produces = h.Edge(Checkout, Orders, EdgeKind.Produces);
        Assert.Equal((4L, 1L, 8d), (produces.Stats.Requests, produces.Stats.Errors, produces.Stats.LatencySumMs));
        var consumes = h.Edge(Orders, Shipping, EdgeKind.Consumes);
        Assert.Equal((3L, 0L, 21d), (consumes.Stats.Requests, consumes.Stats.Errors, consumes.Stats.LatencySumMs));
        Assert.Equal("kafka", h.Graph.Node(Orders)!.Properties["messaging.system"]);
        Assert.Equal("topic", h.Graph.Node(Orders)!.Kind);

        // A fault in the producer travels to the topic and on to the consumer.
        Assert.Equal(Checkout, produces.Upstream());
        Assert.Equal(Orders, consumes.Upstream());
        Assert.Equal(0, h.Builder.PendingSpans);
    }

    [Fact]
    public void Database_SelectAndInsertSpans_ReadAndWriteEdgesWithTheirLatency()
    {
        using var h = new GraphHarness();
        var traces = new Traces().Service("checkout");
        traces.Span(1, 0x50, 0, 3, "SELECT shop.orders", T0, 4, false,
            ("db.system.name", "postgresql"), ("db.namespace", "shop"), ("db.collection.name", "orders"), ("db.operation.name", "SELECT"));
        traces.Span(1, 0x51, 0, 3, "SELECT shop.orders", T0 + Second, 6, false,
            ("db.system.name", "postgresql"), ("db.namespace", "shop"), ("db.collection.name", "orders"), ("db.operation.name", "SELECT"));

        // Older conventions: db.system / db.sql.table, the operation only in the span name.
        traces.Span(2, 0x52, 0, 3, "INSERT shop.orders", T0 + (2 * Second), 11, true,
            ("db.system", "postgresql"), ("db.namespace", "shop"), ("db.sql.table", "orders"));
        h.Apply(traces);

        var reads = h.Edge(Checkout, OrdersTable, EdgeKind.Reads);
        Assert.Equal((2L, 0L, 10d), (reads.Stats.Requests, reads.Stats.Errors, reads.Stats.LatencySumMs));
        var writes = h.Edge(Checkout, OrdersTable, EdgeKind.Writes);
        Assert.Equal((1L, 1L, 11d), (writes.Stats.Requests, writes.Stats.Errors, writes.Stats.LatencySumMs));
        Assert.Equal("postgresql", h.Graph.Node(OrdersTable)!.Properties["db.system"]);

        // Database clients are not held for a server span that will never come.
        Assert.Equal(0, h.Builder.PendingSpans);

        // A slow table hurts its reader; a bad writer hurts the table.
        Assert.Equal(OrdersTable, reads.Upstream());
        Assert.Equal(Checkout, writes.Upstream());
    }

    [Fact]
    public void Lineage_RealHiveEventWithColumnLineage_InputOutputAndDerivesFromEdges()
    {
        // 039 is the Hive integration's expected event for a CTAS over a CTE join; as a test template it has no
        // eventTime, producer or runId, so those are stamped on. Everything else is the file as published.
        var node = JsonNode.Parse(File.ReadAllText(SharedData.Path("openlineage", "events", "039_penlineage_hook_integrations_container_cllComplexQueryCTEJoinsComplete_0.json")))!;
        node["eventTime"] = "2026-01-01T00:00:00Z";
        node["producer"] = "https://github.com/OpenLineage/OpenLineage/tree/main/integration/hive";
        node["run"] = new JsonObject { ["runId"] = "0b8d4c8e-3a0f-4a54-9d1e-1f1f4c2a9b77" };
        var signals = DecodeLineage(node.ToJsonString());
        using var h = new GraphHarness();

        h.Apply(signals, IngestSignal.Lineage);

        var job = Urn.Create("job", "default", "createtable_as_select.test.xxx");
        string Table(string name) => Urn.Create("dataset", "hive://localhost:9083", name);
        foreach (var input in new[] { "test.t1", "test.t2", "test.t3" })
        {
            Assert.Equal(1, h.Edge(Table(input), job, EdgeKind.InputOf).Stats.Requests);
        }

        Assert.Equal(1, h.Edge(job, Table("test.xxx"), EdgeKind.Outputs).Stats.Requests);
        var derived = h.Graph.EdgesOf(Table("test.xxx")).Where(e => e.Kind == EdgeKind.DerivesFrom).Select(e => e.From).Order().ToList();
        Assert.Equal([Table("test.t1"), Table("test.t3")], derived); // t2 is joined but gives no column
        Assert.Equal("job", h.Graph.Node(job)!.Kind);
        Assert.NotNull(h.Graph.Node(Table("test.xxx"))!.Properties["schema.fingerprint"]);
    }

    [Fact]
    public void Lineage_FailedRun_CountsAsAFailedRequestOnItsEdges_StartDoesNotCount()
    {
        using var h = new GraphHarness();
        h.Apply(DecodeLineage(Lineage.Run("START", "2026-01-01T00:00:00Z", Lineage.Fields(("id", "int")))), IngestSignal.Lineage);
        h.Apply(DecodeLineage(Lineage.Run("FAIL", "2026-01-01T00:05:00Z", Lineage.Fields(("id", "int")))), IngestSignal.Lineage);

        var edge = h.Edge(Lineage.Job, Lineage.Output, EdgeKind.Outputs);
        Assert.Equal((1L, 1L), (edge.Stats.Requests, edge.Stats.Errors));
        Assert.Equal((1L, 1L), (h.Edge(Lineage.Input, Lineage.Job, EdgeKind.InputOf).Stats.Requests, h.Edge(Lineage.Input, Lineage.Job, EdgeKind.InputOf).Stats.Errors));
    }

    [Fact]
    public void Metrics_AndLogs_OnlyMakeNodes()
    {
        using var h = new GraphHarness();
        var signals = new List<Signal>
        {
            new(SignalKind.Metric, Checkout, T0, TraceId.Empty, 0, null, "cpu", 0.5, SignalStatus.Unset, 0, SignalAttributes.Empty),
            new(SignalKind.Log, Shipping, T0, TraceId.Empty, 0, null, "started", 1, SignalStatus.Unset, 0, SignalAttributes.Empty),
        };

        h.Apply(signals, IngestSignal.Metrics);

        Assert.Equal(2, h.Graph.NodeCount);
        Assert.Equal(0, h.Graph.EdgeCount);
        Assert.Equal("service", h.Graph.Node(Checkout)!.Kind);
    }
}
