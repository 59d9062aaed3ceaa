using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Autopilot.Host.Tests.Engines;
using Autopilot.Host.Tests.Ingest;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Autopilot.Host.Tests.Graph;

/// <summary>
/// The official OpenTelemetry .NET SDK exports two services' spans (a call between them, a Kafka publish and a
/// PostgreSQL insert in the callee) to a real server on loopback Kestrel; <c>GET /api/graph</c> shows the edges.
/// </summary>
public sealed class GraphEndToEndTests
{
    private const int Calls = 12;

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task OtelSdk_TwoServicesWithMessagingAndDatabase_ApiGraphShowsTheEdgesWithCounts(OtlpExportProtocol protocol)
    {
        await using var server = await TestServer.StartAsync();
        var environment = "e2e-" + protocol.ToString().ToLowerInvariant();
        var frontend = $"urn:autopilot:service:{environment}:frontend";
        var checkout = $"urn:autopilot:service:{environment}:checkout";
        const string topic = "urn:autopilot:topic:kafka:orders";
        const string table = "urn:autopilot:dataset:postgresql/shop:orders";
        var id = Guid.NewGuid().ToString("N");
        using var frontendSource = new ActivitySource("tests.frontend." + id);
        using var checkoutSource = new ActivitySource("tests.checkout." + id);
        using (var frontendTracer = Tracer(server, protocol, frontendSource.Name, "frontend", environment, "1.0.0"))
        using (var checkoutTracer = Tracer(server, protocol, checkoutSource.Name, "checkout", environment, "3.2.1"))
        {
            for (var i = 0; i < Calls; i++)
            {
                using var client = frontendSource.StartActivity("POST /checkout", ActivityKind.Client);
                Assert.NotNull(client);
                using (var handler = checkoutSource.StartActivity("POST /checkout", ActivityKind.Server, client.Context))
                {
                    Assert.NotNull(handler);
                    if (i % 4 == 0)
                    {
                        handler.SetStatus(ActivityStatusCode.Error, "payment declined");
                    }

                    using (var publish = checkoutSource.StartActivity("orders publish", ActivityKind.Producer))
                    {
                        publish?.SetTag("messaging.system", "kafka");
                        publish?.SetTag("messaging.destination.name", "orders");
                        publish?.SetTag("messaging.operation.type", "send");
                    }

                    using var insert = checkoutSource.StartActivity("INSERT shop.orders", ActivityKind.Client);
                    insert?.SetTag("db.system.name", "postgresql");
                    insert?.SetTag("db.namespace", "shop");
                    insert?.SetTag("db.collection.name", "orders");
                    insert?.SetTag("db.operation.name", "INSERT");
                }
            }

            Assert.True(checkoutTracer.ForceFlush(30_000));
            Assert.True(frontendTracer.ForceFlush(30_000));
        }

        var query = $"depth=2&urn={Uri.EscapeDataString(frontend)}";
        JsonElement graph = default;
        await SpanFeed.WaitUntilAsync(async () =>
        {
            if (await GraphApi.TryGetAsync(server.Http, query) is not { } current)
            {
                return false; // not in the graph yet
            }

            graph = current;
            return GraphApi.Requests(GraphApi.Edge(graph, frontend, checkout, "calls")) >= Calls
                && GraphApi.Requests(GraphApi.Edge(graph, checkout, table, "writes")) >= Calls
                && GraphApi.Requests(GraphApi.Edge(graph, checkout, topic, "produces")) >= Calls;
        }, "the calls, produces and writes edges over /api/graph");

        var calls = GraphApi.Edge(graph, frontend, checkout, "calls")!.Value;
        Assert.Equal(Calls, calls.GetProperty("stats").GetProperty("requests").GetInt64());
        Assert.Equal(Calls / 4, calls.GetProperty("stats").GetProperty("errors").GetInt64());
        Assert.True(calls.GetProperty("stats").GetProperty("latencySumMs").GetDouble() > 0);
        Assert.False(calls.TryGetProperty("validToUnixNano", out _), "an edge seen just now is open");
        Assert.Equal(Calls, GraphApi.Requests(GraphApi.Edge(graph, checkout, topic, "produces")));
        Assert.Equal(Calls, GraphApi.Requests(GraphApi.Edge(graph, checkout, table, "writes")));
        var nodes = graph.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("urn").GetString()!, n => n);
        Assert.Equal(new[] { checkout, table, frontend, topic }.Order(StringComparer.Ordinal), nodes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("3.2.1", nodes[checkout].GetProperty("properties").GetProperty("service.version").GetString());
        Assert.Equal("dataset", nodes[table].GetProperty("kind").GetString());

        // One hop from the frontend: the callee, not its topic and table.
        var near = await GraphApi.GetAsync(server.Http, $"depth=1&urn={Uri.EscapeDataString(frontend)}");
        Assert.Equal(2, near.GetProperty("nodes").GetArrayLength());

        // Before any of it happened the graph was empty.
        var before = await GraphApi.GetAsync(server.Http, $"urn={Uri.EscapeDataString(frontend)}&at={DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds()}");
        Assert.Equal(0, before.GetProperty("nodes").GetArrayLength());
        Assert.Equal(0, before.GetProperty("edges").GetArrayLength());

        // The whole graph without a URN holds both services.
        var all = await GraphApi.GetAsync(server.Http, "limit=100");
        Assert.Contains(all.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("urn").GetString() == frontend);
        Assert.False(all.GetProperty("truncated").GetBoolean());

        var metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("autopilot_graph_spans_total{outcome=\"paired\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtelSdk_NewServiceVersion_ShowsAsADeployChange()
    {
        await using var server = await TestServer.StartAsync();
        var id = Guid.NewGuid().ToString("N");
        using var source = new ActivitySource("tests.deploy." + id);
        foreach (var version in new[] { "1.0.0", "1.1.0" })
        {
            using var tracer = Tracer(server, OtlpExportProtocol.HttpProtobuf, source.Name, "cart", "deploys", version);
            using (source.StartActivity("GET /cart", ActivityKind.Server))
            {
            }

            Assert.True(tracer.ForceFlush(30_000));
        }

        var urn = Uri.EscapeDataString("urn:autopilot:service:deploys:cart");
        JsonElement change = default;
        await SpanFeed.WaitUntilAsync(async () =>
        {
            if (await GraphApi.TryGetAsync(server.Http, "urn=" + urn) is not { } graph)
            {
                return false;
            }

            var changes = graph.GetProperty("changes");
            if (changes.GetArrayLength() == 0)
            {
                return false;
            }

            change = changes[0];
            return true;
        }, "the deploy change of cart");

        // The fields `autopilot triage` reads for its recent changes.
        Assert.Equal("urn:autopilot:service:deploys:cart", change.GetProperty("urn").GetString());
        Assert.True(change.GetProperty("timeUnixNano").GetInt64() > 0);
        Assert.Contains("1.0.0 → 1.1.0", change.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("deploy", change.GetProperty("kind").GetString());
        Assert.Equal(("1.0.0", "1.1.0"), (change.GetProperty("before").GetString(), change.GetProperty("after").GetString()));
    }

    [Theory]
    [InlineData("depth=9&urn=x", "depth '9' must be an integer from 0 to 5")]
    [InlineData("depth=two&urn=x", "depth 'two' must be an integer")]
    [InlineData("limit=0", "limit '0' must be an integer from 1 to 10000")]
    [InlineData("at=yesterday&urn=x", "at 'yesterday' is neither an RFC 3339 time")]
    public async Task ApiGraph_BadParameter_Is400NamingIt(string query, string message)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Http.GetAsync(new Uri("/api/graph?" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(message, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiGraph_UnknownUrn_Is404NamingIt()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Http.GetAsync(new Uri("/api/graph?urn=urn:autopilot:service:prod:nobody", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("urn:autopilot:service:prod:nobody", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static TracerProvider Tracer(TestServer server, OtlpExportProtocol protocol, string source, string service, string environment, string version) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service, serviceVersion: version).AddAttributes([new("deployment.environment.name", environment)]))
            .AddSource(source)
            .AddOtlpExporter(o =>
            {
                o.Protocol = protocol;
                o.Endpoint = protocol == OtlpExportProtocol.Grpc ? server.GrpcEndpoint : new Uri(server.HttpEndpoint, "/v1/traces");
                o.TimeoutMilliseconds = 30_000;
            })
            .Build()!;
}
