// An instrumented sample service for the Telemetry Validator tests. Everything comes from the environment the
// validator sets: OTEL_EXPORTER_OTLP_ENDPOINT / _PROTOCOL, OTEL_BSP_SCHEDULE_DELAY, OTEL_METRIC_EXPORT_INTERVAL
// (read by the SDK itself), OPENLINEAGE_URL and PORT. Test switches:
//   SAMPLE_DROP_TRACEPARENT=http|message  leave the traceparent out of that hop (propagation broken)
//   SAMPLE_CONSUMER_LINK_ONLY=1           the consumer span starts a new trace with a link to the producer
//   SAMPLE_TRACE_LOG=<file>               append the trace id of every server span (what really exists)
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Primitives;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

var port = Environment.GetEnvironmentVariable("PORT") ?? "5080";
var drop = Environment.GetEnvironmentVariable("SAMPLE_DROP_TRACEPARENT") ?? string.Empty;
var linkOnly = Environment.GetEnvironmentVariable("SAMPLE_CONSUMER_LINK_ONLY") == "1";
var traceLog = Environment.GetEnvironmentVariable("SAMPLE_TRACE_LOG");
var lineageUrl = Environment.GetEnvironmentVariable("OPENLINEAGE_URL");

using var ordersSource = new ActivitySource("Sample.Orders");
using var inventorySource = new ActivitySource("Sample.Inventory");
using var workerSource = new ActivitySource("Sample.Worker");
using var meter = new Meter("Sample.Orders");
var requestDuration = meter.CreateHistogram<double>("http.server.request.duration", "s", "Duration of HTTP server requests.");
var ordersPlaced = meter.CreateCounter<long>("orders.placed", "{order}", "Orders accepted.");

static TracerProvider Tracer(string service, string source) => Sdk.CreateTracerProviderBuilder()
    .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service, serviceVersion: "1.0.0"))
    .AddSource(source)
    .AddOtlpExporter()
    .Build();

using var ordersTracer = Tracer("orders", "Sample.Orders");
using var inventoryTracer = Tracer("inventory", "Sample.Inventory");
using var workerTracer = Tracer("orders-worker", "Sample.Worker");
using var meters = Sdk.CreateMeterProviderBuilder()
    .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("orders", serviceVersion: "1.0.0"))
    .AddMeter("Sample.Orders")
    .AddOtlpExporter()
    .Build();

var propagator = new TraceContextPropagator();
var traceLogGate = new object();

// The handler's own header propagation is off, so only the explicit Inject below carries context: the test
// switch that drops it really drops it.
using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() });
var queue = Channel.CreateBounded<QueuedOrder>(1000);

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();

ActivityContext Extract(IHeaderDictionary headers) =>
    propagator.Extract(default, headers, static (h, key) => h.TryGetValue(key, out var v) ? [v.ToString()] : []).ActivityContext;

Activity? StartServer(ActivitySource source, HttpContext ctx, string route)
{
    Activity.Current = null;
    var activity = source.StartActivity($"{ctx.Request.Method} {route}", ActivityKind.Server, Extract(ctx.Request.Headers));
    activity?.SetTag("http.request.method", ctx.Request.Method);
    activity?.SetTag("http.route", route);
    activity?.SetTag("url.path", ctx.Request.Path.Value);
    activity?.SetTag("url.scheme", "http");
    activity?.SetTag("server.address", "127.0.0.1");
    activity?.SetTag("server.port", int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
    if (activity is not null && traceLog is not null)
    {
        lock (traceLogGate)
        {
            File.AppendAllText(traceLog, activity.TraceId.ToHexString() + "\n");
        }
    }

    return activity;
}

void EndServer(Activity? activity, string route, int status, long started)
{
    activity?.SetTag("http.response.status_code", status);
    requestDuration.Record(
        Stopwatch.GetElapsedTime(started).TotalSeconds,
        new KeyValuePair<string, object?>("http.request.method", activity?.GetTagItem("http.request.method")),
        new KeyValuePair<string, object?>("http.route", route),
        new KeyValuePair<string, object?>("http.response.status_code", status));
}

app.MapGet("/healthz", () => "ok");

app.MapGet("/orders/{id}", async (HttpContext ctx, string id) =>
{
    var started = Stopwatch.GetTimestamp();
    using var server = StartServer(ordersSource, ctx, "/orders/{id}");
    string stock;
    var url = $"http://127.0.0.1:{port}/inventory/{id}";
    using (var client = ordersSource.StartActivity("GET", ActivityKind.Client))
    {
        client?.SetTag("http.request.method", "GET");
        client?.SetTag("server.address", "127.0.0.1");
        client?.SetTag("server.port", int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
        client?.SetTag("url.full", url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (client is not null && drop != "http")
        {
            propagator.Inject(new PropagationContext(client.Context, Baggage.Current), request.Headers, static (h, k, v) => h.TryAddWithoutValidation(k, v));
        }

        using var response = await http.SendAsync(request);
        client?.SetTag("http.response.status_code", (int)response.StatusCode);
        stock = await response.Content.ReadAsStringAsync();
    }

    EndServer(server, "/orders/{id}", 200, started);
    return Results.Json(new { id, stock });
});

app.MapGet("/inventory/{id}", (HttpContext ctx, string id) =>
{
    var started = Stopwatch.GetTimestamp();
    using var server = StartServer(inventorySource, ctx, "/inventory/{id}");
    EndServer(server, "/inventory/{id}", 200, started);
    return Results.Text("7");
});

app.MapPost("/orders", async (HttpContext ctx) =>
{
    var started = Stopwatch.GetTimestamp();
    using var server = StartServer(ordersSource, ctx, "/orders");
    var id = Guid.NewGuid().ToString("N");
    var headers = new Dictionary<string, string>(StringComparer.Ordinal);
    using (var producer = ordersSource.StartActivity("publish orders", ActivityKind.Producer))
    {
        producer?.SetTag("messaging.system", "in_process");
        producer?.SetTag("messaging.destination.name", "orders");
        producer?.SetTag("messaging.operation.type", "send");
        producer?.SetTag("messaging.message.id", id);
        if (producer is not null && drop != "message")
        {
            propagator.Inject(new PropagationContext(producer.Context, Baggage.Current), headers, static (h, k, v) => h[k] = v);
        }

        await queue.Writer.WriteAsync(new QueuedOrder(id, headers));
    }

    ordersPlaced.Add(1);
    EndServer(server, "/orders", 202, started);
    return Results.Accepted();
});

app.MapPost("/export", async (HttpContext ctx) =>
{
    var started = Stopwatch.GetTimestamp();
    using var server = StartServer(ordersSource, ctx, "/export");
    if (lineageUrl is not null)
    {
        var runId = Guid.NewGuid().ToString();
        foreach (var type in new[] { "START", "COMPLETE" })
        {
            var evt = new Dictionary<string, object>
            {
                ["eventType"] = type,
                ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
                ["producer"] = "https://example.com/autopilot/validate-sample",
                ["schemaURL"] = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
                ["run"] = new { runId },
                ["job"] = new { @namespace = "orders", name = "orders.daily_export" },
                ["inputs"] = Array.Empty<object>(),
                ["outputs"] = new[] { new { @namespace = "file", name = "/tmp/orders.csv" } },
            };
            using var content = new StringContent(JsonSerializer.Serialize(evt), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(lineageUrl.TrimEnd('/') + "/api/v1/lineage", content);
        }
    }

    EndServer(server, "/export", 200, started);
    return Results.Ok();
});

var consumer = Task.Run(async () =>
{
    await foreach (var order in queue.Reader.ReadAllAsync())
    {
        var parent = propagator.Extract(default, order.Headers, static (h, key) => h.TryGetValue(key, out var v) ? [v] : []).ActivityContext;
        Activity.Current = null;
        var links = parent.IsValid() ? new[] { new ActivityLink(parent) } : null;
        using var span = workerSource.StartActivity("process orders", ActivityKind.Consumer, linkOnly ? default : parent, links: links);
        span?.SetTag("messaging.system", "in_process");
        span?.SetTag("messaging.destination.name", "orders");
        span?.SetTag("messaging.operation.type", "process");
        span?.SetTag("messaging.message.id", order.Id);
    }
});

Console.WriteLine($"orders sample listening on {port}, exporting to {Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")}");
await app.RunAsync();
queue.Writer.Complete();
await consumer;

internal sealed record QueuedOrder(string Id, Dictionary<string, string> Headers);
