using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autopilot.Engines.Findings;
using Autopilot.Host.Commands.OnCall;
using Autopilot.Host.Tests.Ingest;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Autopilot.Host.Tests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium against a real server fed with the simulated shop (see
/// <see cref="DashboardFixture"/>): every view is compared with what the API answers at the same moment, nothing is
/// routed or faked on the way. Screenshots are kept in <c>bin/…/artifacts</c>.
/// </summary>
public sealed class DashboardBrowserTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private readonly List<string> _hosts = [];
    private readonly List<string> _pageErrors = [];

    private async Task<(IBrowserContext Context, IPage Page)> OpenAsync(Uri? server = null)
    {
        var baseUrl = (server ?? fixture.Server.HttpEndpoint).ToString();
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            ColorScheme = ColorScheme.Light,
        });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = baseUrl.TrimEnd('/') });
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

    private void AssertCleanRun()
    {
        Assert.Empty(_pageErrors);
        Assert.NotEmpty(_hosts);
        Assert.All(_hosts, host => Assert.Equal("127.0.0.1", host));
    }

    private async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        var path = Path.Combine(fixture.Artifacts, $"dashboard-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        output.WriteLine($"screenshot: {path}");
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var doc = await fixture.GetJsonAsync(path);
        return doc.RootElement.Clone();
    }

    private async Task<string> RawAsync(string path) => await fixture.Server.Http.GetStringAsync(new Uri(path, UriKind.Relative));

    private static async Task<string> TextAsync(IPage page, string selector) => (await page.Locator(selector).InnerTextAsync()).Trim();

    private static Task<string[]> AllAsync(IPage page, string selector, string js) => page.Locator(selector).EvaluateAllAsync<string[]>($"els => els.map(e => {js})");

    private static int Number(string text) => int.Parse(text.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static string Esc(string urn) => Uri.EscapeDataString(urn);

    /// <summary>Waits for the view to finish rendering (the shell clears aria-busy when a view's render resolves).</summary>
    private static async Task ViewReadyAsync(IPage page) => await page.Locator("main#view[aria-busy=\"false\"]").WaitForAsync();

    [Fact]
    public async Task Overview_Incidents_Assets_Slos_ShowWhatTheApiSays_AndANewIncidentArrivesLive()
    {
        var (context, page) = await OpenAsync();
        await using var _ = context;

        // Overview: open incidents by severity and assets by health, as the API (and `autopilot health`) say.
        await page.GotoAsync("/");
        await page.Locator("[data-stat=\"open-incidents\"]").WaitForAsync();
        var compared = false;
        for (var attempt = 0; attempt < 3 && !compared; attempt++)
        {
            var snapshot = await RawAsync("/api/incidents?status=open");
            using var api = new ServerApi(fixture.Server.HttpEndpoint, null);
            var health = await HealthCommand.BuildAsync(api, TimeSpan.FromHours(1), DateTimeOffset.UtcNow, CancellationToken.None);
            await page.ReloadAsync();
            await page.Locator("[data-stat=\"open-incidents\"]").WaitForAsync();
            var shown = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var stat in (string[])["open-incidents", "open-critical", "open-warning", "open-info", "assets", "assets-critical", "assets-warning", "assets-healthy"])
            {
                shown[stat] = Number(await TextAsync(page, $"[data-stat=\"{stat}\"]"));
            }

            if (await RawAsync("/api/incidents?status=open") != snapshot)
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
            Assert.True(shown["open-incidents"] > 0 && shown["assets-critical"] + shown["assets-warning"] > 0, "payment's bad deploy should leave an open incident and an unhealthy asset");
            compared = true;
        }

        Assert.True(compared, "the incident list kept changing while the overview was compared");
        Assert.Equal(0, await page.Locator("#getting-started").CountAsync());
        await ScreenshotAsync(page, "overview");

        // Incidents: the list has every incident; a click opens the one on payment.
        var incidents = (await GetAsync("/api/incidents")).GetProperty("incidents").EnumerateArray().ToList();
        var id = PaymentIncident(incidents);
        await page.GetByRole(AriaRole.Link, new() { Name = "Incidents" }).First.ClickAsync();
        await page.Locator("#incident-table").WaitForAsync();
        Assert.Equal(incidents.Count, await page.Locator("#incident-table tbody tr").CountAsync());
        Assert.StartsWith($"{incidents.Count} of {incidents.Count} incidents", await TextAsync(page, "#incident-count"), StringComparison.Ordinal);
        await ScreenshotAsync(page, "incidents");
        await page.Locator($"[data-incident-id=\"{id}\"] a.incident-link").ClickAsync();
        await page.WaitForURLAsync(new Regex("#/incidents/" + Regex.Escape(id) + "$"));
        await page.Locator("[data-incident]").WaitForAsync();
        Assert.Equal(id, await TextAsync(page, "#incident-id"));

        // Assets: the search box and the kind filter narrow the table as the API's own filters do.
        var allAssets = (await GetAsync("/api/assets?limit=10000")).GetProperty("assets").GetArrayLength();
        var paymentAssets = (await GetAsync("/api/assets?q=payment&limit=10000")).GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("urn").GetString()!).Order(StringComparer.Ordinal).ToList();
        var datasets = (await GetAsync("/api/assets?kind=dataset&limit=10000")).GetProperty("assets").GetArrayLength();
        Assert.True(datasets > 0 && paymentAssets.Count > 1 && paymentAssets.Count < allAssets);
        await page.GetByRole(AriaRole.Link, new() { Name = "Assets" }).First.ClickAsync();
        await page.Locator("#asset-table").WaitForAsync();
        Assert.Equal($"{allAssets} of {allAssets} assets", await TextAsync(page, "#asset-count"));
        await page.Locator("#asset-search").FillAsync("payment");
        await Assertions.Expect(page.Locator("#asset-count")).ToHaveTextAsync($"{paymentAssets.Count} of {allAssets} assets");
        var rows = await AllAsync(page, "#asset-table tbody tr", "e.dataset.urn");
        Assert.Equal(paymentAssets, rows.Order(StringComparer.Ordinal).ToList());
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

        // Live: with the incident list open, an error burst on a new service appears without a reload. It comes after
        // the shop's last minute, as a live exporter's spans would.
        await page.GotoAsync("/#/incidents");
        await page.Locator("#incident-table").WaitForAsync();
        await page.Locator("#live[data-state=\"live\"]").WaitForAsync();
        await page.EvaluateAsync("window.__sameDocument = true");
        var before = (await GetAsync("/api/incidents")).GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToHashSet();
        const string search = "urn:autopilot:service:prod:search";
        await DemoTelemetry.SendLoneBurstAsync(fixture.Server, "search", fixture.Scenario.End);
        string? fresh = null;
        await DashboardFixture.WaitAsync(async () =>
        {
            // No match yet gives a default (undefined) element, which has no properties to read.
            var match = (await GetAsync("/api/incidents")).GetProperty("incidents").EnumerateArray()
                .FirstOrDefault(i => !before.Contains(i.GetProperty("id").GetString()) && i.GetProperty("affectedUrns").EnumerateArray().Any(u => u.GetString() == search));
            fresh = match.ValueKind == JsonValueKind.Object ? match.GetProperty("id").GetString() : null;
            return fresh is not null;
        }, "the API to show an incident on search");
        await page.Locator($"[data-incident-id=\"{fresh}\"]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "the page reloaded instead of updating live");
        Assert.True(int.Parse(await page.EvaluateAsync<string>("document.body.dataset.liveEvents ?? '0'"), CultureInfo.InvariantCulture) > 0);
        await ScreenshotAsync(page, "live-update");

        AssertCleanRun();
    }

    [Fact]
    public async Task IncidentPage_ShowsTheExplainAnswer_RootsInRankOrderWithScores_Actions_BlastRadius_Timeline_AndUpdate()
    {
        var (context, page) = await OpenAsync();
        await using var _ = context;
        var id = PaymentIncident((await GetAsync("/api/incidents?status=open")).GetProperty("incidents").EnumerateArray());
        var explainPath = $"/api/incidents/{id}/explain";

        // The answer can change while the page loads (a new finding updates the incident): compare when it did not.
        JsonElement answer = default;
        var compared = false;
        for (var attempt = 0; attempt < 3 && !compared; attempt++)
        {
            var before = await RawAsync(explainPath);
            await page.GotoAsync("/#/incidents/" + id);
            await page.ReloadAsync();
            await page.Locator("[data-incident]").WaitForAsync();
            if (await RawAsync(explainPath) != before)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(before);
            answer = doc.RootElement.Clone();
            compared = true;
        }

        Assert.True(compared, "the RCA answer kept changing while the page loaded");
        Assert.Equal("explain", await page.Locator("[data-incident]").GetAttributeAsync("data-source"));
        Assert.Equal(id, await TextAsync(page, "#incident-id"));
        Assert.Equal(answer.GetProperty("summary").GetString(), await TextAsync(page, "#incident-summary"));
        Assert.Equal(answer.GetProperty("explainer").GetString(), await TextAsync(page, "#explainer"));
        Assert.Equal(0, await page.Locator("#explain-unavailable").CountAsync());
        await ScreenshotAsync(page, "incident-first-screen", fullPage: false);

        // Root causes: the answer's order, each with its score (as a percentage).
        var roots = answer.GetProperty("rootCauses").EnumerateArray().ToList();
        Assert.NotEmpty(roots);
        Assert.Equal(roots.Select(r => r.GetProperty("urn").GetString()!), await AllAsync(page, "[data-root-urn]", "e.dataset.rootUrn"));
        var scores = await AllAsync(page, "[data-root-urn] .confidence-value", "e.dataset.score + '|' + e.textContent");
        Assert.Equal(roots.Count, scores.Length);
        for (var i = 0; i < roots.Count; i++)
        {
            var score = roots[i].GetProperty("score").GetDouble();
            var parts = scores[i].Split('|');
            Assert.Equal(score, double.Parse(parts[0], CultureInfo.InvariantCulture));
            Assert.Equal($"{Math.Round(score * 100, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture)} %", parts[1]);
        }

        var top = await TextAsync(page, ".root.first");
        foreach (var reason in roots[0].GetProperty("reasons").EnumerateArray())
        {
            Assert.Contains(reason.GetString()!, top, StringComparison.Ordinal);
        }

        // Actions with target and risk, next checks, the blast radius, the whole timeline in order, the update.
        var actions = answer.GetProperty("actions").EnumerateArray().Select(a => $"{a.GetProperty("action").GetString()} {a.GetProperty("target").GetString()} {a.GetProperty("risk").GetString()}").ToList();
        Assert.NotEmpty(actions);
        Assert.Equal(actions, await AllAsync(page, "#actions [data-action]", "e.dataset.action + ' ' + e.dataset.target + ' ' + e.querySelector('.badge').textContent"));
        Assert.Equal(answer.GetProperty("nextChecks").EnumerateArray().Select(c => c.GetString()!), await AllAsync(page, "#next-checks li", "e.textContent"));
        Assert.Equal(answer.GetProperty("blastRadius").EnumerateArray().Select(u => u.GetString()!), await AllAsync(page, "#blast-radius li [data-urn]", "e.dataset.urn"));
        var timeline = answer.GetProperty("timeline").EnumerateArray().ToList();
        Assert.NotEmpty(timeline);
        Assert.Equal(timeline.Select(t => t.GetProperty("summary").GetString()!), await AllAsync(page, "#timeline li .tl-summary", "e.textContent"));
        Assert.Equal(timeline.Select(t => t.GetProperty("urn").GetString()!), await AllAsync(page, "#timeline li .tl-asset [data-urn]", "e.dataset.urn"));
        var draft = await TextAsync(page, "#stakeholder-draft");
        Assert.Equal(answer.GetProperty("stakeholderUpdate").GetString()!.Trim(), draft);
        await page.Locator("#copy-update").ClickAsync();
        await page.Locator("#copy-update[data-copied=\"true\"]").WaitForAsync();
        Assert.Equal(draft, (await page.EvaluateAsync<string>("navigator.clipboard.readText()")).Trim());
        await ScreenshotAsync(page, "incident");

        // The top root cause leads to its neighbourhood in the graph: the nodes /api/graph?urn=…&depth=2 has.
        var topUrn = roots[0].GetProperty("urn").GetString()!;
        await page.Locator(".root.first a.graph-link").ClickAsync();
        await page.WaitForURLAsync(new Regex("#/graph\\?urn=" + Regex.Escape(Esc(topUrn)) + "&depth=2$"));
        await page.Locator($"svg.graph g.node.focus[data-urn=\"{topUrn}\"]").WaitForAsync();
        var around = (await GetAsync($"/api/graph?urn={Esc(topUrn)}&depth=2")).GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("urn").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(around, (await AllAsync(page, "svg.graph g.node", "e.dataset.urn")).Order(StringComparer.Ordinal));
        await ScreenshotAsync(page, "graph-neighbourhood");

        AssertCleanRun();
    }

    [Fact]
    public async Task GraphView_DrawsTheApiGraph_NodesEdgesKindsAndColours_AndTravelsInTime()
    {
        var (context, page) = await OpenAsync();
        await using var _ = context;

        await page.GotoAsync("/#/graph");
        await page.Locator("svg.graph g.node").First.WaitForAsync();
        await CompareGraphAsync(page, "/#/graph", "/api/graph?limit=500", null);
        Assert.Equal(0, await page.Locator("#graph-truncated").CountAsync());
        await ScreenshotAsync(page, "graph");

        // Pointing at payment shows its version and the deploy; the changes list has the graph's changes.
        var graph = await GetAsync("/api/graph?limit=500");
        var deploy = graph.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("urn").GetString() == DashboardFixture.Payment && c.GetProperty("kind").GetString() == "deploy");
        Assert.Equal(DashboardFixture.Fault.NewVersion, deploy.GetProperty("after").GetString());
        await page.Locator($"g.node[data-urn=\"{DashboardFixture.Payment}\"]").HoverAsync();
        await Assertions.Expect(page.Locator(".graph-panel")).ToContainTextAsync(deploy.GetProperty("description").GetString()!);
        await Assertions.Expect(page.Locator(".graph-panel")).ToContainTextAsync(DashboardFixture.Fault.NewVersion!);
        Assert.Equal(graph.GetProperty("changes").GetArrayLength(), Number((await TextAsync(page, "#graph-changes-title")).Split('(', ')')[1]));
        Assert.Contains("changed", await page.Locator($"g.node[data-urn=\"{DashboardFixture.Payment}\"]").GetAttributeAsync("class") ?? string.Empty, StringComparison.Ordinal);

        // As of a minute before the deploy: the graph the API had then, payment not changed yet; the buttons step in time.
        var beforeDeploy = (deploy.GetProperty("timeUnixNano").GetInt64() / 1_000_000) - 60_000;
        await page.GotoAsync($"/#/graph?at={beforeDeploy}");
        await Assertions.Expect(page.Locator("#graph-summary")).ToContainTextAsync("as of");
        await CompareGraphAsync(page, $"/#/graph?at={beforeDeploy}", $"/api/graph?limit=500&at={beforeDeploy}", beforeDeploy);
        Assert.DoesNotContain("changed", await page.Locator($"g.node[data-urn=\"{DashboardFixture.Payment}\"]").GetAttributeAsync("class") ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator($"#graph-changes [data-change-urn=\"{DashboardFixture.Payment}\"]").CountAsync());
        await ScreenshotAsync(page, "graph-before-deploy");
        await page.Locator("#graph-back").ClickAsync();
        await page.WaitForURLAsync(new Regex($"at={beforeDeploy - 900_000}"));
        await ViewReadyAsync(page);
        var earlier = (await GetAsync($"/api/graph?limit=500&at={beforeDeploy - 900_000}")).GetProperty("nodes").GetArrayLength();
        await Assertions.Expect(page.Locator("svg.graph g.node")).ToHaveCountAsync(earlier);

        // An asset's neighbourhood, and one the graph does not have.
        await page.GotoAsync($"/#/graph?urn={Esc(DashboardFixture.Payment)}&depth=1");
        await page.Locator($"g.node.focus[data-urn=\"{DashboardFixture.Payment}\"]").WaitForAsync();
        var one = (await GetAsync($"/api/graph?urn={Esc(DashboardFixture.Payment)}&depth=1")).GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("urn").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(one, (await AllAsync(page, "svg.graph g.node", "e.dataset.urn")).Order(StringComparer.Ordinal));
        await page.Locator("#graph-depth").SelectOptionAsync("2");
        var two = (await GetAsync($"/api/graph?urn={Esc(DashboardFixture.Payment)}&depth=2")).GetProperty("nodes").GetArrayLength();
        Assert.True(two > one.Count);
        await Assertions.Expect(page.Locator("svg.graph g.node")).ToHaveCountAsync(two);
        await page.GotoAsync("/#/graph?urn=" + Esc("urn:autopilot:service:prod:nobody"));
        await Assertions.Expect(page.Locator("#graph-empty")).ToContainTextAsync("is not in the graph");

        // A node leads to its asset page, which lists its relations and the deploy from the graph.
        await page.GotoAsync("/#/graph");
        await page.Locator($"g.node[data-urn=\"{DashboardFixture.Payment}\"]").ClickAsync();
        await page.Locator("#asset-urn").WaitForAsync();
        Assert.Equal(DashboardFixture.Payment, await TextAsync(page, "#asset-urn"));
        var neighbours = (await GetAsync($"/api/graph?urn={Esc(DashboardFixture.Payment)}&depth=1")).GetProperty("edges").EnumerateArray()
            .Where(e => e.GetProperty("from").GetString() == DashboardFixture.Payment || e.GetProperty("to").GetString() == DashboardFixture.Payment)
            .Select(e => e.GetProperty("from").GetString() == DashboardFixture.Payment ? e.GetProperty("to").GetString()! : e.GetProperty("from").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(neighbours, (await AllAsync(page, "#asset-graph [data-neighbour]", "e.dataset.neighbour")).Order(StringComparer.Ordinal));
        await Assertions.Expect(page.Locator("#asset-changes")).ToContainTextAsync(deploy.GetProperty("description").GetString()!);
        await ScreenshotAsync(page, "asset");

        AssertCleanRun();
    }

    /// <summary>
    /// The graph on <paramref name="hash"/> has the nodes and edges of <paramref name="apiPath"/>, with their kinds, and the
    /// colours the README's rule gives them as of <paramref name="atMs"/> (null: now). Compared again when the API changed
    /// while the page loaded.
    /// </summary>
    private async Task CompareGraphAsync(IPage page, string hash, string apiPath, long? atMs)
    {
        for (var attempt = 0; ; attempt++)
        {
            var at = atMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var before = await GraphStateAsync(apiPath, at, atMs is not null);
            await page.GotoAsync(hash);
            await page.ReloadAsync();
            await ViewReadyAsync(page);
            var nodes = await AllAsync(page, "svg.graph g.node", "e.dataset.urn + ' ' + e.dataset.kind + ' ' + ['critical', 'warning', 'healthy'].find(c => e.classList.contains(c))");
            var edges = await AllAsync(page, "svg.graph .edge", "e.dataset.from + ' ' + e.dataset.kind + ' ' + e.dataset.to + ' ' + ['critical', 'warning', 'healthy'].find(c => e.classList.contains(c))");
            var after = await GraphStateAsync(apiPath, at, atMs is not null);
            if ((before.Nodes.SequenceEqual(after.Nodes) && before.Edges.SequenceEqual(after.Edges)) || attempt == 2)
            {
                Assert.True(after.Nodes.Count >= 20, $"the shop's graph has only {after.Nodes.Count} nodes");
                Assert.Equal(after.Nodes, nodes.Order(StringComparer.Ordinal).ToList());
                Assert.Equal(after.Edges, edges.Order(StringComparer.Ordinal).ToList());
                return;
            }
        }
    }

    private async Task<(List<string> Nodes, List<string> Edges)> GraphStateAsync(string apiPath, long atMs, bool past)
    {
        var graph = await GetAsync(apiPath);
        var incidents = (await GetAsync(past ? "/api/incidents?limit=1000" : "/api/incidents?status=open&limit=1000")).GetProperty("incidents").EnumerateArray().ToList();
        var open = past ? DocumentedHealth.OpenAt(incidents, atMs * 1_000_000) : incidents;
        var findings = (await GetAsync($"/api/findings?from={atMs - 3_600_000}" + (past ? $"&to={atMs}" : string.Empty) + "&limit=10000")).GetProperty("findings").EnumerateArray();
        var health = DocumentedHealth.Assets(open, findings);
        var nodes = graph.GetProperty("nodes").EnumerateArray().Select(n => $"{n.GetProperty("urn").GetString()} {n.GetProperty("kind").GetString()} {DocumentedHealth.Of(health, n.GetProperty("urn").GetString()!)}");
        var edges = graph.GetProperty("edges").EnumerateArray().Select(e => $"{e.GetProperty("from").GetString()} {e.GetProperty("kind").GetString()} {e.GetProperty("to").GetString()} {DocumentedHealth.Edge(e, health)}");
        return (nodes.Order(StringComparer.Ordinal).ToList(), edges.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task IncidentPage_ChronicIncident_ReadsItsLatestItems_ShowsItsTotals_AndIsExplainedToItsLastUpdate()
    {
        // A chronic failure's incident, 3,000 findings a minute apart on one service as the correlator stores them, on a
        // server of its own (the shop's incidents stay as they are). The page used to read it whole and list the
        // findings of its window from the start (all 3,000 rows here; at two weeks the earliest 10,000, none of the latest).
        await using var server = await TestServer.StartAsync();
        const int Count = 3000;
        var urn = "urn:autopilot:service:prod:chronic";
        var start = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ((Count + 5) * 60_000L)) * 1_000_000;
        var findings = Enumerable.Range(0, Count).Select(m => Finding.Create("dq", "dq.error_rate", urn, FindingSeverity.Warning, 0.2 + ((m % 7) / 100.0),
            start + (m * 60_000_000_000L), start + ((m + 1) * 60_000_000_000L), start + ((m + 1) * 60_000_000_000L),
            string.Create(CultureInfo.InvariantCulture, $"minute {m}: errors over the threshold"), new Evidence("window", "1-minute window", 0.2, 0.05))).ToList();
        var incident = new Autopilot.Engines.Incidents.Incident("inc-chronic", Autopilot.Engines.Incidents.IncidentStatus.Open, FindingSeverity.Warning, findings[0].TimeUnixNano,
            findings[^1].TimeUnixNano, null, [urn], [.. findings.Select(f => f.Id)], [new Autopilot.Engines.Incidents.SuspectedRoot(urn, 0.5, ["earliest onset"])],
            [.. findings.Select(f => new Autopilot.Engines.Incidents.TimelineEntry(f.TimeUnixNano, f.Urn, f.Kind, f.Summary, f.Id))], "errors on chronic");
        server.Server.Runtime.Store.Commit(findings, [Autopilot.Engines.State.IncidentWrite.Whole(incident)]);
        var latest = findings.TakeLast(200).Select(f => f.Summary).ToList();

        var (context, page) = await OpenAsync(server.HttpEndpoint);
        await using var _ = context;
        var incidentReads = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/incidents/inc-chronic", StringComparison.Ordinal))
            {
                lock (incidentReads)
                {
                    incidentReads.Add(request.Url);
                }
            }
        };
        await page.GotoAsync("/#/incidents/inc-chronic");
        await page.Locator("[data-incident]").WaitForAsync();

        Assert.Equal("explain", await page.Locator("[data-incident]").GetAttributeAsync("data-source"));
        Assert.Contains(incidentReads, u => u.EndsWith("/api/incidents/inc-chronic?items=200", StringComparison.Ordinal));
        Assert.Equal(Count.ToString(CultureInfo.InvariantCulture), await TextAsync(page, "#finding-count"));
        Assert.Equal($"Findings (latest 200 of {Count})", await TextAsync(page, "#findings-title"));
        Assert.Equal(latest, await AllAsync(page, "#findings tbody tr td:last-child", "e.textContent"));

        // The page's lists read every page: 3,000 findings 700 at a time.
        var listed = await page.EvaluateAsync<string[]>("async () => (await (await import('/assets/api.js')).api.findings({ limit: 700 })).map((f) => f.id)");
        Assert.Equal(findings.Select(f => f.Id).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(Count, listed.Distinct().Count());

        // Explain read the whole incident: its timeline runs from the first finding to the latest.
        var timeline = await AllAsync(page, "#timeline li .tl-summary", "e.textContent");
        Assert.Equal((findings[0].Summary, findings[^1].Summary), (timeline[0], timeline[^1]));

        // When explain fails, the page shows the incident's latest timeline entries, says how many it has, and its
        // draft names the latest signal (the first is not among what it read).
        await page.EvaluateAsync("""
            async () => {
              const { default: view } = await import('/assets/views/incident.js');
              const { api, ApiError } = await import('/assets/api.js');
              const failing = { ...api, explain: async () => { throw new ApiError(500, 'the analyzer failed', '/api/incidents/inc-chronic/explain'); } };
              const host = document.createElement('div');
              host.id = 'fallback-host';
              document.body.append(host);
              await view.render(host, { arg: 'inc-chronic', api: failing });
            }
            """);
        var host = "#fallback-host ";
        await page.Locator(host + "[data-incident]").WaitForAsync();
        Assert.Equal("correlator", await page.Locator(host + "[data-incident]").GetAttributeAsync("data-source"));
        Assert.Equal($"Timeline (latest 200 of {Count})", await TextAsync(page, host + "#timeline-title"));
        Assert.Equal(latest, await AllAsync(page, host + "#timeline li .tl-summary", "e.textContent"));
        Assert.Contains("Latest signal: " + findings[^1].Summary, await TextAsync(page, host + "#stakeholder-draft"), StringComparison.Ordinal);
        AssertCleanRun();
    }

    [Fact]
    public async Task IncidentPage_WhenExplainFails_ShowsTheCorrelatorsRootsAndSaysWhy()
    {
        // The server's explain does not fail on this data, so this is the page's own code path, run in the browser with
        // the real API except for an explain call that rejects as a failing server's would (HTTP 500).
        var (context, page) = await OpenAsync();
        await using var _ = context;
        var id = PaymentIncident((await GetAsync("/api/incidents?status=open")).GetProperty("incidents").EnumerateArray());
        await page.GotoAsync("/#/slos");
        await ViewReadyAsync(page);
        await page.EvaluateAsync("""
            async (id) => {
              const { default: view } = await import('/assets/views/incident.js');
              const { api, ApiError } = await import('/assets/api.js');
              const failing = { ...api, explain: async () => { throw new ApiError(500, 'the analyzer failed', `/api/incidents/${id}/explain`); } };
              const host = document.createElement('div');
              host.id = 'fallback-host';
              document.body.append(host);
              await view.render(host, { arg: id, api: failing });
            }
            """, id);
        var host = "#fallback-host ";
        await page.Locator(host + "[data-incident]").WaitForAsync();
        Assert.Equal("correlator", await page.Locator(host + "[data-incident]").GetAttributeAsync("data-source"));
        Assert.Contains("RCA explain failed: the analyzer failed", await TextAsync(page, host + "#explain-unavailable"), StringComparison.Ordinal);
        Assert.StartsWith("correlator", await TextAsync(page, host + "#explainer"), StringComparison.Ordinal);
        var fresh = await GetAsync("/api/incidents/" + id);
        Assert.Equal(fresh.GetProperty("suspectedRoots").EnumerateArray().Select(r => r.GetProperty("urn").GetString()!), await AllAsync(page, host + "[data-root-urn]", "e.dataset.rootUrn"));
        Assert.Equal(fresh.GetProperty("affectedUrns").EnumerateArray().Select(u => u.GetString()!), await AllAsync(page, host + "#blast-radius li [data-urn]", "e.dataset.urn"));
        Assert.Equal("Affected assets", await TextAsync(page, host + "#blast-radius-title"));
        Assert.Equal(fresh.GetProperty("timeline").GetArrayLength(), await page.Locator(host + "#timeline li").CountAsync());
        var draft = await TextAsync(page, host + "#stakeholder-draft");
        Assert.Contains($"Incident {id}", draft, StringComparison.Ordinal);
        Assert.Contains("Recommended actions come from RCA explain", await TextAsync(page, host + "#actions"), StringComparison.Ordinal);
        await page.Locator(host + "[data-incident]").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(fixture.Artifacts, "dashboard-incident-explain-failed.png") });
        AssertCleanRun();
    }

    [Fact]
    public async Task Dashboard_OnAnEmptyServer_SaysWhatIsMissingInEveryView()
    {
        await using var empty = await TestServer.StartAsync();
        var (context, page) = await OpenAsync(empty.HttpEndpoint);
        await using var _ = context;

        await page.GotoAsync("/");
        await page.Locator("#getting-started").WaitForAsync();
        Assert.Contains($"OTEL_EXPORTER_OTLP_ENDPOINT={empty.HttpEndpoint.ToString().TrimEnd('/')}", await TextAsync(page, "#getting-started"), StringComparison.Ordinal);
        Assert.Equal("0", await TextAsync(page, "[data-stat=\"open-incidents\"]"));
        Assert.Equal("0", await TextAsync(page, "[data-stat=\"assets\"]"));
        await ScreenshotAsync(page, "empty-overview");
        await page.GotoAsync("/#/graph");
        await Assertions.Expect(page.Locator("#graph-empty")).ToContainTextAsync("The graph is empty");
        await ScreenshotAsync(page, "empty-graph");
        await page.GotoAsync("/#/incidents");
        await Assertions.Expect(page.Locator("main#view")).ToContainTextAsync("No incidents yet");
        await page.GotoAsync("/#/assets");
        await Assertions.Expect(page.Locator("main#view")).ToContainTextAsync("No assets yet");
        await page.GotoAsync("/#/slos");
        await Assertions.Expect(page.Locator("main#view")).ToContainTextAsync("No SLO");
        await page.GotoAsync("/#/incidents/inc-nope");
        await Assertions.Expect(page.Locator("main#view")).ToContainTextAsync("No incident inc-nope");
        await page.GotoAsync("/#/assets/" + Esc("urn:autopilot:service:prod:nobody"));
        await Assertions.Expect(page.Locator("#asset-graph")).ToContainTextAsync("Not in the asset graph");
        AssertCleanRun();
    }

    /// <summary>The open incident that lists payment (the injected fault's root).</summary>
    private static string PaymentIncident(IEnumerable<JsonElement> incidents) =>
        incidents.First(i => i.GetProperty("status").GetString() == "open"
            && i.GetProperty("affectedUrns").EnumerateArray().Any(u => u.GetString() == DashboardFixture.Payment)).GetProperty("id").GetString()!;
}
