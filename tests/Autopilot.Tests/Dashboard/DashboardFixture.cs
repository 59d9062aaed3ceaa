using System.Text.Json;
using Autopilot.Engines.Anomaly;
using Autopilot.Host.Tests.Ingest;
using Autopilot.Simulator;
using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Topology;
using Microsoft.Playwright;

namespace Autopilot.Host.Tests.Dashboard;

/// <summary>
/// One headless Debian Chromium (driven by Playwright, never a downloaded browser) and one real server on free
/// loopback ports with the simulated shop's telemetry in it: 12 services instrumented with the OpenTelemetry SDK
/// calling each other (client/server span pairs joined by W3C <c>traceparent</c>), their tables, the Kafka topic and
/// the OpenLineage jobs, with a bad deploy of payment near the end, so the asset graph has real edges, the engines
/// open incidents and the RCA analyzer explains them. An SLO watches checkout.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The services' <c>deployment.environment.name</c>, the namespace of their URNs.</summary>
    public const string Environment = "prod";

    public static readonly ShopTopology Topology = ShopTopology.Default();

    /// <summary>The injected fault: payment is deployed and starts failing a share of its requests.</summary>
    public static readonly FaultSpec Fault = FaultCatalog.Create(FaultKind.DeployErrors, Topology, Environment, "payment");

    public static readonly string Payment = ShopTopology.ServiceUrn(Environment, "payment");

    public static readonly string Checkout = ShopTopology.ServiceUrn(Environment, "checkout");

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TestServer? _server;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the fixture is not initialised");

    internal TestServer Server => _server ?? throw new InvalidOperationException("the fixture is not initialised");

    /// <summary>The scenario the server was fed (its simulated times are recent wall-clock times).</summary>
    public Scenario Scenario { get; private set; } = null!;

    /// <summary>Where the screenshots go (a test artefact, next to the test assembly; not committed).</summary>
    public string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (./test.sh does: apt-get install -y chromium).");
        }

        Directory.CreateDirectory(Artifacts);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        _server = await TestServer.StartAsync(Configure);

        // The shop's last half hour, ending a few minutes ago (simulated time is wall-clock time here, so the
        // dashboard's "last hour" views have it): 25 minutes of healthy traffic, then payment's bad deploy.
        var end = DemoTelemetry.MinuteAgo(3);
        var healthy = TimeSpan.FromMinutes(25);
        var afterFault = TimeSpan.FromMinutes(6);
        Scenario = new Scenario(Fault.Kind, 7, end - afterFault - healthy, healthy, afterFault, Fault);
        var result = await ScenarioRunner.RunAsync(Scenario, new SimulatorOptions { Endpoint = _server.HttpEndpoint, Environment = Environment, RequestsPerSecond = 1 }, Topology);
        Assert.Equal(0, result.Stats.ExportFailures);

        // Ready when the deploy has opened an incident on payment, checkout's SLO has a status and the graph has
        // paired payment's calls; then until incidents and graph stop changing, so the page can be compared with the API.
        var missing = "everything (nothing read yet)";
        await WaitAsync(async () =>
        {
            using var incidents = await GetJsonAsync("/api/incidents?status=open");
            using var slo = await GetJsonAsync("/api/slo");
            using var graph = await GetJsonAsync("/api/graph?limit=10000");
            var waiting = new List<string>();
            if (!incidents.RootElement.GetProperty("incidents").EnumerateArray()
                    .Any(i => i.GetProperty("affectedUrns").EnumerateArray().Any(u => u.GetString() == Payment)))
            {
                waiting.Add($"no open incident on payment ({incidents.RootElement.GetProperty("incidents").GetArrayLength()} open)");
            }

            if (slo.RootElement.GetProperty("slos").GetArrayLength() == 0)
            {
                waiting.Add("no SLO status");
            }

            if (!graph.RootElement.GetProperty("edges").EnumerateArray().Any(e => e.GetProperty("to").GetString() == Payment && e.GetProperty("kind").GetString() == "calls"))
            {
                waiting.Add("no calls edge to payment in the graph");
            }

            missing = string.Join("; ", waiting);
            return waiting.Count == 0;
        }, () => $"an open incident on payment, checkout's SLO status and payment's calls in the graph (still missing: {missing})", timeoutSeconds: 300);
        await WaitStableAsync("/api/incidents");
        await WaitStableAsync("/api/graph?limit=10000", ignore: "atUnixNano");
    }

    /// <summary>
    /// The simulator tests' short-scenario settings: detectors warm up over 15 windows instead of 60 (so 25 minutes
    /// of history is enough), and no fsync per export (durability is not what these tests look at).
    /// </summary>
    private static void Configure(Autopilot.Host.Hosting.ServerOptions options)
    {
        options.Ingest.WalFsync = false;
        var latency = options.Engines.Anomaly.Latency.Detector;
        latency.WarmupPoints = 15;
        latency.LikelihoodMinSamples = 15;
        latency.SuppressPoints = 5;
        var metric = options.Engines.Anomaly.Metrics.Detector;
        metric.WarmupPoints = 60;
        metric.LikelihoodMinSamples = 40;
        metric.SuppressPoints = 20;
        options.Engines.Freshness.MinObservations = 3;
        options.Engines.Anomaly.Slos.Add(new SloOptions { Name = Checkout, Urn = Checkout, Objective = 0.995 });
    }

    public async Task<JsonDocument> GetJsonAsync(string path) =>
        JsonDocument.Parse(await Server.Http.GetStringAsync(new Uri(path, UriKind.Relative)));

    /// <summary>Polls until two reads of <paramref name="path"/> one second apart are equal (but for the top-level property <paramref name="ignore"/>).</summary>
    public async Task WaitStableAsync(string path, string? ignore = null)
    {
        var last = string.Empty;
        await WaitAsync(async () =>
        {
            var now = await Server.Http.GetStringAsync(new Uri(path, UriKind.Relative));
            if (ignore is not null)
            {
                using var doc = JsonDocument.Parse(now);
                now = string.Concat(doc.RootElement.EnumerateObject().Where(p => p.Name != ignore).Select(p => p.ToString()));
            }

            var stable = now == last;
            last = now;
            if (!stable)
            {
                await Task.Delay(1000);
            }

            return stable;
        }, $"{path} to stop changing");
    }

    public static Task WaitAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 60) =>
        WaitAsync(condition, () => what, timeoutSeconds);

    /// <summary>Polls <paramref name="condition"/> every 100 ms; on timeout fails with <paramref name="what"/> as it reads then.</summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, Func<string> what, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeoutSeconds} s waiting for {what()}");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
