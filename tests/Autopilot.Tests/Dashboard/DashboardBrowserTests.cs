using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Host.Commands.OnCall;
using Autopilot.Rca.Answers;
using Autopilot.Rca.Graph;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Autopilot.Host.Tests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium against a real server with demo data: what each view shows is
/// checked against the API, an incident is opened by clicking, the asset search filters, and a live update
/// arrives over server-sent events while the page is open. Screenshots are kept in <c>bin/…/artifacts</c>.
/// </summary>
public sealed class DashboardBrowserTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private readonly List<string> _hosts = [];
    private readonly List<string> _pageErrors = [];

    private async Task<(IBrowserContext Context, IPage Page)> OpenAsync()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Server.HttpEndpoint.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            ColorScheme = ColorScheme.Light,
        });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = fixture.Server.HttpEndpoint.ToString().TrimEnd('/') });
        context.Request += (_, request) =>
        {
            lock (_hosts)
            {
                _hosts.Add(new Uri(request.Url).Host);
            }
        };
        var page = await context.NewPageAsync();
        page.PageError += (_, error) =>
        {
            lock (_pageErrors)
            {
                _pageErrors.Add(error);
            }
        };
        return (context, page);
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(fixture.Artifacts, $"dashboard-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var doc = JsonDocument.Parse(await fixture.Server.Http.GetStringAsync(new Uri(path, UriKind.Relative)));
        return doc.RootElement.Clone();
    }

    private static async Task<string> TextAsync(IPage page, string selector) => (await page.Locator(selector).InnerTextAsync()).Trim();

    private static int Number(string text) => int.Parse(text.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Dashboard_WithDemoData_ShowsWhatTheApiSays_OpensAnIncident_Filters_AndUpdatesLive()
    {
        var (context, page) = await OpenAsync();
        await using var _ = context;

        // Overview: open incidents by severity and assets by health, as the API (and `autopilot health`) say.
        await page.GotoAsync("/");
        await page.Locator("[data-stat=\"open-incidents\"]").WaitForAsync();
        var compared = false;
        for (var attempt = 0; attempt < 3 && !compared; attempt++)
        {
            var snapshot = (await GetAsync("/api/incidents?status=open")).GetRawText();
            using var api = new ServerApi(fixture.Server.HttpEndpoint, null);
            var health = await HealthCommand.BuildAsync(api, TimeSpan.FromHours(1), DateTimeOffset.UtcNow, CancellationToken.None);
            await page.ReloadAsync();
            await page.Locator("[data-stat=\"open-incidents\"]").WaitForAsync();
            var shown = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var stat in (string[])["open-incidents", "open-critical", "open-warning", "open-info", "assets", "assets-critical", "assets-warning", "assets-healthy"])
            {
                shown[stat] = Number(await TextAsync(page, $"[data-stat=\"{stat}\"]"));
            }

            if ((await GetAsync("/api/incidents?status=open")).GetRawText() != snapshot)
            {
                continue; // the engines moved on while the page loaded: compare again
            }

            var open = health.OpenIncidents;
            Assert.Equal(open.Count, shown["open-incidents"]);
            Assert.Equal(open.Count(i => i.Severity == FindingSeverity.Critical), shown["open-critical"]);
            Assert.Equal(open.Count(i => i.Severity == FindingSeverity.Warning), shown["open-warning"]);
            Assert.Equal(open.Count(i => i.Severity == FindingSeverity.Info), shown["open-info"]);
            Assert.Equal(health.Assets.Count, shown["assets"]);
            Assert.Equal(health.Assets.Count(a => a.Health == "critical"), shown["assets-critical"]);
            Assert.Equal(health.Assets.Count(a => a.Health == "warning"), shown["assets-warning"]);
            Assert.Equal(health.Assets.Count(a => a.Health == "healthy"), shown["assets-healthy"]);
            Assert.True(shown["open-incidents"] > 0 && shown["assets-critical"] > 0, "the demo data should make something critical");
            compared = true;
        }

        Assert.True(compared, "the incident list kept changing while the overview was compared");
        await ScreenshotAsync(page, "overview");

        // Incidents: the list has every incident; click into the one on checkout.
        var incidents = (await GetAsync("/api/incidents")).GetProperty("incidents").EnumerateArray().ToList();
        var target = incidents.First(i => i.GetProperty("status").GetString() == "open"
            && i.GetProperty("affectedUrns").EnumerateArray().Any(u => u.GetString() == DemoTelemetry.Checkout));
        var id = target.GetProperty("id").GetString()!;
        await page.GetByRole(AriaRole.Link, new() { Name = "Incidents" }).First.ClickAsync();
        await page.Locator("#incident-table").WaitForAsync();
        Assert.Equal(incidents.Count, await page.Locator("#incident-table tbody tr").CountAsync());
        Assert.StartsWith($"{incidents.Count} of {incidents.Count} incidents", await TextAsync(page, "#incident-count"), StringComparison.Ordinal);
        await ScreenshotAsync(page, "incidents");
        await page.Locator($"[data-incident-id=\"{id}\"] a.incident-link").ClickAsync();
        await page.WaitForURLAsync(new Regex("#/incidents/" + Regex.Escape(id) + "$"));
        await page.Locator("[data-incident]").WaitForAsync();

        // The incident page: its id, roots in rank order, every timeline entry, its assets, a stakeholder draft.
        var incident = await GetAsync("/api/incidents/" + id);
        Assert.Equal(id, await TextAsync(page, "#incident-id"));
        var roots = incident.GetProperty("suspectedRoots").EnumerateArray().Select(r => r.GetProperty("urn").GetString()!).ToList();
        Assert.NotEmpty(roots);
        var shownRoots = await page.Locator("[data-root-urn]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.rootUrn)");
        Assert.Equal(roots, shownRoots);
        var timeline = incident.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(timeline.Count, await page.Locator("#timeline li").CountAsync());
        var timelineText = await TextAsync(page, "#timeline");
        foreach (var entry in timeline)
        {
            Assert.Contains(entry.GetProperty("summary").GetString()!, timelineText, StringComparison.Ordinal);
        }

        var affected = incident.GetProperty("affectedUrns").EnumerateArray().Select(u => u.GetString()!).ToList();
        var shownAffected = await page.Locator("#blast-radius [data-urn]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.urn)");
        Assert.Equal(affected, shownAffected);
        Assert.Contains("correlator", await TextAsync(page, "#explainer"), StringComparison.Ordinal);
        var draft = await TextAsync(page, "#stakeholder-draft");
        Assert.Contains(id, draft, StringComparison.Ordinal);
        await page.Locator("#copy-update").ClickAsync();
        await page.Locator("#copy-update[data-copied=\"true\"]").WaitForAsync();
        Assert.Equal(draft, (await page.EvaluateAsync<string>("navigator.clipboard.readText()")).Trim());
        await ScreenshotAsync(page, "incident");

        // Assets: the search box and the kind filter narrow the table as the API's own filters do.
        var allAssets = (await GetAsync("/api/assets?limit=10000")).GetProperty("assets").GetArrayLength();
        var checkoutAssets = (await GetAsync("/api/assets?q=checkout&limit=10000")).GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("urn").GetString()!).Order(StringComparer.Ordinal).ToList();
        var datasets = (await GetAsync("/api/assets?kind=dataset&limit=10000")).GetProperty("assets").GetArrayLength();
        Assert.True(datasets > 0 && checkoutAssets.Count > 0 && checkoutAssets.Count < allAssets);
        await page.GetByRole(AriaRole.Link, new() { Name = "Assets" }).First.ClickAsync();
        await page.Locator("#asset-table").WaitForAsync();
        Assert.Equal($"{allAssets} of {allAssets} assets", await TextAsync(page, "#asset-count"));
        await page.Locator("#asset-search").FillAsync("checkout");
        await Assertions.Expect(page.Locator("#asset-count")).ToHaveTextAsync($"{checkoutAssets.Count} of {allAssets} assets");
        var rows = await page.Locator("#asset-table tbody tr").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.urn)");
        Assert.Equal(checkoutAssets, rows.Order(StringComparer.Ordinal).ToList());
        await ScreenshotAsync(page, "assets-search");
        await page.Locator("#asset-search").FillAsync(string.Empty);
        await page.Locator("#asset-kind").SelectOptionAsync("dataset");
        await Assertions.Expect(page.Locator("#asset-count")).ToHaveTextAsync($"{datasets} of {allAssets} assets");
        Assert.Equal(datasets, await page.Locator("#asset-table tbody tr").CountAsync());

        // SLOs: the budget left is the one the API reports.
        var slo = (await GetAsync("/api/slo")).GetProperty("slos")[0];
        await page.GetByRole(AriaRole.Link, new() { Name = "SLOs" }).First.ClickAsync();
        var budget = page.Locator($"[data-slo=\"{slo.GetProperty("slo").GetString()}\"] [data-budget-remaining]");
        await budget.WaitForAsync();
        var remaining = double.Parse((await budget.GetAttributeAsync("data-budget-remaining"))!, CultureInfo.InvariantCulture);
        var current = (await GetAsync("/api/slo")).GetProperty("slos")[0].GetProperty("budgetConsumed3d").GetDouble();
        Assert.Equal(1 - current, remaining, 4);
        Assert.Equal(5, await page.Locator("[data-slo] .bars-h rect.track").CountAsync());
        await ScreenshotAsync(page, "slos");

        // Graph: this branch's server has no /api/graph, so the page says so and shows the inventory's assets;
        // a node leads to its asset page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Graph" }).First.ClickAsync();
        await page.Locator("#graph-fallback").WaitForAsync();
        Assert.Equal(allAssets, await page.Locator("svg.graph g.node").CountAsync());
        Assert.Contains("critical", await page.Locator($"g.node[data-urn=\"{DemoTelemetry.Checkout}\"]").GetAttributeAsync("class") ?? string.Empty, StringComparison.Ordinal);
        await ScreenshotAsync(page, "graph-fallback");
        await page.Locator($"g.node[data-urn=\"{DemoTelemetry.Checkout}\"]").ClickAsync();
        await page.Locator("#asset-urn").WaitForAsync();
        Assert.Equal(DemoTelemetry.Checkout, await TextAsync(page, "#asset-urn"));

        // Live: with the incident list open, a new error burst on another service appears without a reload.
        await page.GotoAsync("/#/incidents");
        await page.Locator("#incident-table").WaitForAsync();
        await page.Locator("#live[data-state=\"live\"]").WaitForAsync();
        await page.EvaluateAsync("window.__sameDocument = true");
        var before = (await GetAsync("/api/incidents")).GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToHashSet();
        await DemoTelemetry.SendLoneBurstAsync(fixture.Server, "inventory", DemoTelemetry.MinuteAgo(10));
        string? fresh = null;
        await DashboardFixture.WaitAsync(async () =>
        {
            fresh = (await GetAsync("/api/incidents")).GetProperty("incidents").EnumerateArray()
                .FirstOrDefault(i => !before.Contains(i.GetProperty("id").GetString()) && i.GetProperty("affectedUrns").EnumerateArray().Any(u => u.GetString() == "urn:autopilot:service:prod:inventory"))
                .GetProperty("id").GetString();
            return fresh is not null;
        }, "the API to show an incident on inventory");
        await page.Locator($"[data-incident-id=\"{fresh}\"]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page reloaded instead of updating live");
        Assert.True(int.Parse(await page.EvaluateAsync<string>("document.body.dataset.liveEvents ?? '0'"), CultureInfo.InvariantCulture) > 0);
        await ScreenshotAsync(page, "live-update");

        Assert.Empty(_pageErrors);
        Assert.NotEmpty(_hosts);
        Assert.All(_hosts, host => Assert.Equal("127.0.0.1", host));
    }

    [Fact]
    public async Task Dashboard_WithGraphAndExplainAnswers_DrawsColouredEdgesAndTheRcaAnswer()
    {
        // GET /api/graph and /api/incidents/{id}/explain are being built on other branches. Their records
        // (src/Rca) exist here: the page gets them, built by the real AssetGraph and serialized with the API's
        // JSON options, through Playwright's request routing, to show it reads what those endpoints will send.
        var (context, page) = await OpenAsync();
        await using var _ = context;
        var t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        const string frontend = "urn:autopilot:service:prod:frontend";
        const string search = "urn:autopilot:service:prod:search";
        const string catalog = "urn:autopilot:service:prod:catalog";
        const string orders = "urn:autopilot:dataset:postgresql/shop:orders";
        var graph = new AssetGraph();
        foreach (var (urn, kind) in new[] { (frontend, "service"), (DemoTelemetry.Checkout, "service"), (search, "service"), (catalog, "service"), (orders, "dataset") })
        {
            graph.UpsertNode(urn, kind, t);
        }

        graph.ObserveEdge(frontend, DemoTelemetry.Checkout, EdgeKind.Calls, t, new EdgeStats(200, 60, 200 * 35, 80));
        graph.ObserveEdge(DemoTelemetry.Checkout, orders, EdgeKind.Writes, t, new EdgeStats(140, 0, 140 * 5, 9));
        graph.ObserveEdge(search, catalog, EdgeKind.Calls, t, new EdgeStats(1000, 20, 1000 * 12, 30));
        graph.ObserveEdge(search, orders, EdgeKind.Reads, t, new EdgeStats(1000, 0, 1000 * 3, 6));
        var view = new GraphView(t, [.. new[] { frontend, DemoTelemetry.Checkout, search, catalog, orders }.Select(u => graph.Node(u)!)],
            [.. new[] { frontend, search, DemoTelemetry.Checkout }.SelectMany(u => graph.EdgesOf(u)).Distinct()], []);
        var graphJson = JsonSerializer.Serialize(view, EngineJson.Options);
        await page.RouteAsync(new Regex("/api/graph(\\?|$)"), route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = graphJson }));

        await page.GotoAsync("/#/graph");
        await page.Locator("svg.graph line.edge").First.WaitForAsync();
        Assert.Equal(0, await page.Locator("#graph-fallback").CountAsync());
        Assert.Equal(4, await page.Locator("svg.graph line.edge").CountAsync());
        async Task<string> EdgeClass(string from, string to) => await page.Locator($"line.edge[data-from=\"{from}\"][data-to=\"{to}\"]").GetAttributeAsync("class") ?? string.Empty;
        Assert.Equal("edge critical", await EdgeClass(frontend, DemoTelemetry.Checkout));   // 30 % errors (and checkout has an open incident)
        Assert.Equal("edge warning", await EdgeClass(search, catalog));                    // 2 % errors between healthy services
        Assert.Equal("edge healthy", await EdgeClass(search, orders));
        Assert.Contains("kind-dataset", await page.Locator($"g.node[data-urn=\"{orders}\"]").GetAttributeAsync("class") ?? string.Empty, StringComparison.Ordinal);
        await ScreenshotAsync(page, "graph");

        var incident = (await GetAsync("/api/incidents?status=open")).GetProperty("incidents").EnumerateArray()
            .First(i => i.GetProperty("affectedUrns").EnumerateArray().Any(u => u.GetString() == DemoTelemetry.Checkout));
        var id = incident.GetProperty("id").GetString()!;
        var timeline = JsonSerializer.Deserialize<List<TimelineEntry>>(incident.GetProperty("timeline").GetRawText(), EngineJson.Options)!;
        var answer = new RcaAnswer(id, t - 600_000_000_000, t, "checkout's payment calls time out; its callers fail with it.",
            [
                new RootCause(DemoTelemetry.Checkout, 0.87, ["errors started on checkout first", "callers fail on the same traces"], [new Evidence("trace", "4bf92f3577b34da6a3ce929d0e0e4736", 1, 0, "failed server span")]),
                new RootCause(frontend, 0.21, ["symptom: calls into checkout fail"], []),
            ],
            timeline, [frontend, "urn:autopilot:service:prod:mobile-api"],
            [new RecommendedAction(ActionType.Rollback, DemoTelemetry.Checkout, "errors began with the last deploy", "medium"), new RecommendedAction(ActionType.ScaleOut, DemoTelemetry.Checkout, "queueing on the payment pool", "low")],
            ["compare checkout 1.4.2 with 1.4.1"], "Checkout is failing one payment in three since 10:02 UTC; we are rolling back.", "rules");
        var answerJson = JsonSerializer.Serialize(answer, EngineJson.Options);
        Assert.Contains("\"action\":\"scale_out\"", answerJson, StringComparison.Ordinal);
        await page.RouteAsync(new Regex("/api/incidents/[^/]+/explain$"), route => route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "application/json", Body = answerJson }));

        await page.GotoAsync("/#/incidents/" + Uri.EscapeDataString(id));
        await page.Locator("[data-incident]").WaitForAsync();
        Assert.Equal("rules", await TextAsync(page, "#explainer"));
        Assert.Equal(answer.Summary, await TextAsync(page, "#incident-summary"));
        Assert.Equal([DemoTelemetry.Checkout, frontend], await page.Locator("[data-root-urn]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.rootUrn)"));
        Assert.Contains("4bf92f3577b34da6a3ce929d0e0e4736", await TextAsync(page, "#root-causes"), StringComparison.Ordinal);
        Assert.Equal("Blast radius", await TextAsync(page, "#blast-radius-title"));
        Assert.Equal([frontend, "urn:autopilot:service:prod:mobile-api"], await page.Locator("#blast-radius [data-urn]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.urn)"));
        var actions = await TextAsync(page, "#actions");
        Assert.Contains("ROLLBACK", actions, StringComparison.Ordinal);
        Assert.Contains("SCALE OUT", actions, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#actions .badge.risk-medium").CountAsync());
        Assert.Equal(answer.StakeholderUpdate, await TextAsync(page, "#stakeholder-draft"));
        await ScreenshotAsync(page, "incident-explained");
        Assert.Empty(_pageErrors);
        Assert.All(_hosts, host => Assert.Equal("127.0.0.1", host));
    }
}
