using System.Text.Json;
using Autopilot.Engines.Anomaly;
using Autopilot.Host.Tests.Ingest;
using Microsoft.Playwright;

namespace Autopilot.Host.Tests.Dashboard;

/// <summary>
/// One headless Debian Chromium (driven by Playwright, never a downloaded browser) and one real server on
/// free loopback ports with demo data in it: spans through the OpenTelemetry SDK that make the engines open
/// incidents, an SLO on checkout, and an OpenLineage run.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TestServer? _server;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the fixture is not initialised");

    internal TestServer Server => _server ?? throw new InvalidOperationException("the fixture is not initialised");

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

        _server = await TestServer.StartAsync(o => o.Engines.Anomaly.Slos.Add(new SloOptions { Name = DemoTelemetry.Checkout, Urn = DemoTelemetry.Checkout, Objective = 0.995 }));
        var start = DemoTelemetry.MinuteAgo(20);
        await DemoTelemetry.SendLineageAsync(_server, start.AddMinutes(1));
        await DemoTelemetry.SendCheckoutBurstAsync(_server, start);

        // Ready when checkout's error burst has opened an incident and its SLO has a status; then until the
        // incident list stops changing, so what the page shows can be compared with the API.
        await WaitAsync(async () =>
        {
            using var incidents = JsonDocument.Parse(await _server.Http.GetStringAsync(new Uri("/api/incidents?status=open", UriKind.Relative)));
            using var slo = JsonDocument.Parse(await _server.Http.GetStringAsync(new Uri("/api/slo", UriKind.Relative)));
            return incidents.RootElement.GetProperty("incidents").EnumerateArray()
                    .Any(i => i.GetProperty("affectedUrns").EnumerateArray().Any(u => u.GetString() == DemoTelemetry.Checkout))
                && slo.RootElement.GetProperty("slos").GetArrayLength() > 0;
        }, "an open incident on checkout and its SLO status");
        await WaitStableAsync("/api/incidents");
    }

    /// <summary>Polls until two reads of <paramref name="path"/> one second apart are equal.</summary>
    public async Task WaitStableAsync(string path)
    {
        var last = string.Empty;
        await WaitAsync(async () =>
        {
            var now = await Server.Http.GetStringAsync(new Uri(path, UriKind.Relative));
            var stable = now == last;
            last = now;
            if (!stable)
            {
                await Task.Delay(1000);
            }

            return stable;
        }, $"{path} to stop changing");
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeoutSeconds} s waiting for {what}");
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
