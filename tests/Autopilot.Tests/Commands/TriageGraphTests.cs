using System.Diagnostics;
using System.Text.Json;
using Autopilot.Host.Commands.OnCall;
using Autopilot.Host.Tests.Ingest;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Autopilot.Host.Tests.Commands;

/// <summary>
/// <c>autopilot triage</c> against a real server whose asset graph was built from real spans: checkout calls payment
/// through the OpenTelemetry SDK (the client span's context carried to the server span in a W3C <c>traceparent</c>
/// header, as an instrumented HTTP client and server do), and payment is redeployed half-way (a new
/// <c>service.version</c> on a new tracer provider, as a restarted process has). Triage reads the deploy from
/// <c>GET /api/graph</c>.
/// </summary>
public sealed class TriageGraphTests
{
    private const string Env = "prod";
    private const string Payment = "urn:autopilot:service:prod:payment";
    private const string Checkout = "urn:autopilot:service:prod:checkout";

    [Fact]
    public async Task Triage_AfterADeploy_ListsItUnderRecentChanges_ForTheServiceAndItsCaller()
    {
        await using var server = await TestServer.StartAsync(o => o.Ingest.WalFsync = false);
        var deployedAt = MinuteAgo(10);
        await SendCallsAsync(server, deployedAt.AddMinutes(-2), deployedAt, "1.4.2");
        await SendCallsAsync(server, deployedAt, deployedAt.AddMinutes(2), "1.5.0");

        // The graph has paired the calls and seen the new version.
        JsonElement deploy = default;
        await SpanFeedWait(async () =>
        {
            using var response = await server.Http.GetAsync(new Uri("/api/graph?urn=" + Uri.EscapeDataString(Payment) + "&depth=1", UriKind.Relative));
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            using var graph = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var calls = graph.RootElement.GetProperty("edges").EnumerateArray().Any(e => e.GetProperty("from").GetString() == Checkout && e.GetProperty("to").GetString() == Payment && e.GetProperty("kind").GetString() == "calls");
            var change = graph.RootElement.GetProperty("changes").EnumerateArray().FirstOrDefault(c => c.GetProperty("urn").GetString() == Payment && c.GetProperty("kind").GetString() == "deploy");
            deploy = change.ValueKind == JsonValueKind.Object ? change.Clone() : default;
            return calls && deploy.ValueKind == JsonValueKind.Object;
        }, "checkout → payment in the graph and payment's deploy");
        Assert.Equal("1.4.2", deploy.GetProperty("before").GetString());
        Assert.Equal("1.5.0", deploy.GetProperty("after").GetString());
        var deployNano = deploy.GetProperty("timeUnixNano").GetInt64();
        Assert.InRange(deployNano, deployedAt.ToUnixTimeMilliseconds() * 1_000_000, deployedAt.AddMinutes(1).ToUnixTimeMilliseconds() * 1_000_000);

        // JSON: the deploy, with the time and description the graph has.
        var (code, stdout, stderr) = await OnCallCommandTests.RunAsync("triage", "--urn", Payment, "--server", server.HttpEndpoint.ToString(), "--window", "00:30:00", "--output", "json");
        Assert.True(code == ExitCodes.Ok, $"exit {code}: {stderr}");
        using (var report = JsonDocument.Parse(stdout))
        {
            Assert.True(report.RootElement.GetProperty("graphAvailable").GetBoolean());
            var listed = Assert.Single(report.RootElement.GetProperty("recentChanges").EnumerateArray());
            Assert.Equal(Payment, listed.GetProperty("urn").GetString());
            Assert.Equal("deploy", listed.GetProperty("kind").GetString());
            Assert.Equal(deployNano, listed.GetProperty("timeUnixNano").GetInt64());
            Assert.Equal(deploy.GetProperty("description").GetString(), listed.GetProperty("description").GetString());
        }

        // Text: the same row in the changes table.
        var (textCode, text, _) = await OnCallCommandTests.RunAsync("triage", "--urn", Payment, "--server", server.HttpEndpoint.ToString(), "--window", "00:30:00");
        Assert.Equal(ExitCodes.Ok, textCode);
        var row = Assert.Single(text.Split('\n'), l => l.Contains("deploy", StringComparison.Ordinal) && l.Contains(Payment, StringComparison.Ordinal));
        Assert.Contains(deploy.GetProperty("description").GetString()!, row, StringComparison.Ordinal);

        // The caller's triage shows its dependency's deploy too (the graph neighbourhood, one hop).
        var (callerCode, caller, callerErr) = await OnCallCommandTests.RunAsync("triage", "--urn", Checkout, "--server", server.HttpEndpoint.ToString(), "--window", "00:30:00", "--output", "json");
        Assert.True(callerCode == ExitCodes.Ok, $"exit {callerCode}: {callerErr}");
        using (var report = JsonDocument.Parse(caller))
        {
            Assert.Contains(report.RootElement.GetProperty("recentChanges").EnumerateArray(), c => c.GetProperty("urn").GetString() == Payment && c.GetProperty("timeUnixNano").GetInt64() == deployNano);
        }

        // A window that ends well after the deploy (it is more than two windows old) leaves it out.
        var (shortCode, shortWindow, _) = await OnCallCommandTests.RunAsync("triage", "--urn", Payment, "--server", server.HttpEndpoint.ToString(), "--window", "00:02:00", "--output", "json");
        Assert.Equal(ExitCodes.Ok, shortCode);
        using (var report = JsonDocument.Parse(shortWindow))
        {
            Assert.Empty(report.RootElement.GetProperty("recentChanges").EnumerateArray());
        }

        // An asset the graph has never had is said to be missing from the graph, not treated as a server without one.
        var (missingCode, missing, _) = await OnCallCommandTests.RunAsync("triage", "--urn", "urn:autopilot:service:prod:nobody", "--server", server.HttpEndpoint.ToString());
        Assert.Equal(ExitCodes.Ok, missingCode);
        Assert.Contains("Recent changes: urn:autopilot:service:prod:nobody is not in the asset graph", missing, StringComparison.Ordinal);
    }

    private static DateTimeOffset MinuteAgo(int minutes)
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-minutes);
    }

    private static Task SpanFeedWait(Func<Task<bool>> condition, string what) => Engines.SpanFeed.WaitUntilAsync(condition, what, timeoutSeconds: 60);

    /// <summary>checkout (4.2.0) calls payment (<paramref name="paymentVersion"/>) every 2 s from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static Task SendCallsAsync(TestServer server, DateTimeOffset from, DateTimeOffset to, string paymentVersion)
    {
        var run = Guid.NewGuid().ToString("N");
        using var checkoutSource = new ActivitySource($"autopilot.triage.tests.{run}.checkout");
        using var paymentSource = new ActivitySource($"autopilot.triage.tests.{run}.payment");
        using var checkout = Provider(server, checkoutSource.Name, "checkout", "4.2.0");
        using var payment = Provider(server, paymentSource.Name, "payment", paymentVersion);
        var propagator = new TraceContextPropagator();
        for (var at = from; at < to; at = at.AddSeconds(2))
        {
            using var client = checkoutSource.StartActivity("POST /charges", ActivityKind.Client, default(ActivityContext), [new("server.address", "payment")], startTime: at);
            Assert.NotNull(client);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            propagator.Inject(new PropagationContext(client.Context, default), headers, static (h, key, value) => h[key] = value);
            Assert.True(headers.ContainsKey("traceparent"));
            var parent = propagator.Extract(default, headers, static (h, key) => h.TryGetValue(key, out var v) ? [v] : []);
            using (var handler = paymentSource.StartActivity("POST /charges", ActivityKind.Server, parent.ActivityContext, startTime: at.AddMilliseconds(1)))
            {
                Assert.NotNull(handler);
                handler.SetEndTime(at.AddMilliseconds(20).UtcDateTime);
            }

            client.SetEndTime(at.AddMilliseconds(22).UtcDateTime);
        }

        Assert.True(checkout.ForceFlush(30_000) && payment.ForceFlush(30_000), "the OTLP exporters did not flush within 30 s");
        return Task.CompletedTask;
    }

    private static TracerProvider Provider(TestServer server, string source, string service, string version) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service, serviceVersion: version).AddAttributes([new("deployment.environment.name", Env)]))
            .AddSource(source)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri(server.HttpEndpoint, "/v1/traces");
                o.ExportProcessorType = ExportProcessorType.Batch;
                o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 60_000;
                o.TimeoutMilliseconds = 30_000;
            })
            .Build();
}
