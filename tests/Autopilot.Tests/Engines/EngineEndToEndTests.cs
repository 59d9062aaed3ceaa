using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Autopilot.Host.Commands;
using Autopilot.Host.Hosting;
using Autopilot.Host.Tests.Ingest;

namespace Autopilot.Host.Tests.Engines;

public sealed class EngineEndToEndTests
{
    [Fact]
    public async Task FailingSpans_BecomeAFindingAndAnIncident_OnTheApiAndAsCloudEvents()
    {
        using var dir = new Hosting.TempDirectory();
        var eventsFile = Path.Combine(dir.Path, "events.jsonl");
        await using var server = await TestServer.StartAsync(o => o.EventsFile = eventsFile);
        using (var content = new StringContent(EngineFixtures.FailingCheckout(), Encoding.UTF8, "application/json"))
        using (var response = await server.Http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var findings = await PollAsync(server, "/api/findings?engine=dq.error_rate", "findings");
        var finding = Assert.Single(findings.EnumerateArray());
        Assert.Equal("urn:autopilot:service:prod:checkout", finding.GetProperty("urn").GetString());
        Assert.Equal("dq.error_rate", finding.GetProperty("kind").GetString());
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.Equal(0.5, finding.GetProperty("score").GetDouble());
        Assert.Contains(finding.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("type").GetString() == "trace");

        var incidents = await PollAsync(server, "/api/incidents?status=open", "incidents");
        var incident = Assert.Single(incidents.EnumerateArray());
        var id = incident.GetProperty("id").GetString()!;
        using var one = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/api/incidents/" + id, UriKind.Relative)));
        Assert.Equal("urn:autopilot:service:prod:checkout", one.RootElement.GetProperty("suspectedRoots")[0].GetProperty("urn").GetString());

        // A list with items=N carries each incident's latest N finding ids and timeline entries and how many it has;
        // without it, the incidents whole (no counts).
        Assert.False(incident.TryGetProperty("findingCount", out _));
        foreach (var n in new[] { 0, 1 })
        {
            using var list = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri($"/api/incidents?status=open&items={n}", UriKind.Relative)));
            var latest = Assert.Single(list.RootElement.GetProperty("incidents").EnumerateArray());
            Assert.Equal(id, latest.GetProperty("id").GetString());
            Assert.Equal(one.RootElement.GetProperty("findingIds").EnumerateArray().TakeLast(n).Select(e => e.GetString()), latest.GetProperty("findingIds").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(one.RootElement.GetProperty("timeline").EnumerateArray().TakeLast(n).Select(e => e.GetRawText()), latest.GetProperty("timeline").EnumerateArray().Select(e => e.GetRawText()));
            Assert.Equal(one.RootElement.GetProperty("findingIds").GetArrayLength(), latest.GetProperty("findingCount").GetInt32());
            Assert.Equal(one.RootElement.GetProperty("timeline").GetArrayLength(), latest.GetProperty("timelineCount").GetInt32());
            Assert.Equal(one.RootElement.GetProperty("summary").GetString(), latest.GetProperty("summary").GetString());

            // The incident alone takes items the same way (the dashboard's incident page asks for the latest 200).
            using var single = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri($"/api/incidents/{id}?items={n}", UriKind.Relative)));
            Assert.Equal(latest.GetRawText(), single.RootElement.GetRawText());
        }

        var lines = await File.ReadAllLinesAsync(eventsFile);
        Assert.Contains(lines, l => l.Contains("\"type\":\"autopilot.finding.dq.error_rate\"", StringComparison.Ordinal) && l.Contains("\"specversion\":\"1.0\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"type\":\"autopilot.incident.opened\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EventsFileAndWebhook_BothConfigured_BothGetTheFindingAndTheIncident()
    {
        // A real HTTP endpoint on 127.0.0.1 takes the webhook's batches while the same events go to the file: with both
        // configured, neither is left out (the webhook once was, silently).
        using var dir = new Hosting.TempDirectory();
        var eventsFile = Path.Combine(dir.Path, "events.jsonl");
        var port = Hosting.ServeProcessTests.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/events/");
        listener.Start();
        var received = new List<string>();
        var contentTypes = new List<string?>();
        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var context = await listener.GetContextAsync().WaitAsync(stop.Token);
                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                {
                    var body = await reader.ReadToEndAsync();
                    lock (received)
                    {
                        received.Add(body);
                        contentTypes.Add(context.Request.ContentType);
                    }
                }

                context.Response.StatusCode = 202;
                context.Response.Close();
            }
        });

        await using (var server = await TestServer.StartAsync(o =>
        {
            o.EventsFile = eventsFile;
            o.EventsWebhook = new Uri($"http://127.0.0.1:{port}/events/");
        }))
        {
            using var content = new StringContent(EngineFixtures.FailingCheckout(), Encoding.UTF8, "application/json");
            using var response = await server.Http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual(0, (await PollAsync(server, "/api/incidents?status=open", "incidents")).GetArrayLength());
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && !WebhookHas(received, "autopilot.incident.opened"))
            {
                await Task.Delay(100);
            }
        }

        await stop.CancelAsync();

        // Close, not Stop: the managed listener's Dispose after a Stop binds the port once more to remove its prefix, which
        // fails ("Address already in use") when another test's server took the port meanwhile.
        listener.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => receiving);

        var lines = await File.ReadAllLinesAsync(eventsFile);
        var fileIds = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).ToHashSet();
        Assert.True(WebhookHas(received, "autopilot.incident.opened"), "the webhook never got the incident");
        Assert.All(contentTypes, t => Assert.StartsWith("application/cloudevents-batch+json", t, StringComparison.Ordinal));
        List<JsonElement> posted;
        lock (received)
        {
            posted = [.. received.SelectMany(b => JsonDocument.Parse(b).RootElement.EnumerateArray().Select(e => e.Clone()))];
        }

        Assert.Contains(posted, e => e.GetProperty("type").GetString() == "autopilot.finding.dq.error_rate");
        Assert.All(posted, e => Assert.Contains(e.GetProperty("id").GetString(), fileIds)); // the same events, in both
        var opened = posted.First(e => e.GetProperty("type").GetString() == "autopilot.incident.opened");
        Assert.Equal(opened.GetProperty("data").GetProperty("findingIds").GetArrayLength(), opened.GetProperty("findingcount").GetInt64());
    }

    [Fact]
    public async Task EventsFileOnAFullDisk_TheServerGoesOn_TheDropsAreCounted()
    {
        // /dev/full fails every write as a full disk does: the engines still find, the incident is still on the API, and
        // the events that could not be written are counted on /metrics.
        await using var server = await TestServer.StartAsync(o => o.EventsFile = "/dev/full");
        using (var content = new StringContent(EngineFixtures.FailingCheckout(), Encoding.UTF8, "application/json"))
        using (var response = await server.Http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.NotEqual(0, (await PollAsync(server, "/api/incidents?status=open", "incidents")).GetArrayLength());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string metrics;
        do
        {
            metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }
        while (!metrics.Contains("autopilot_events_dropped_total{sink=\"file\"}", StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Delay());

        var line = metrics.Split('\n').Single(l => l.StartsWith("autopilot_events_dropped_total{sink=\"file\"}", StringComparison.Ordinal));
        Assert.True(double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) >= 2, line); // the finding and the incident

        static async Task<bool> Delay()
        {
            await Task.Delay(100);
            return true;
        }
    }

    private static bool WebhookHas(List<string> received, string type)
    {
        lock (received)
        {
            return received.Any(b => b.Contains($"\"type\":\"{type}\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Api_BadTimeOrStatus_Is400NamingIt()
    {
        await using var server = await TestServer.StartAsync();
        using var badTime = await server.Http.GetAsync(new Uri("/api/findings?from=yesterday", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badTime.StatusCode);
        Assert.Contains("from 'yesterday'", await badTime.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var badStatus = await server.Http.GetAsync(new Uri("/api/incidents?status=closed", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        using var missing = await server.Http.GetAsync(new Uri("/api/incidents/inc-nope", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Api_BadLimitOrWindow_Is400NamingIt_AtTheirBounds_Answered()
    {
        (string Path, string Message)[] bad =
        [
            ("/api/findings?limit=abc", "limit 'abc' must be an integer from 1 to 10000"),
            ("/api/findings?limit=0", "limit '0' must be an integer from 1 to 10000"),
            ("/api/findings?limit=99999999999", "limit '99999999999' must be an integer from 1 to 10000"),
            ("/api/incidents?limit=10001", "limit '10001' must be an integer from 1 to 10000"),
            ("/api/incidents?limit=1.5", "limit '1.5' must be an integer from 1 to 10000"),
            ("/api/assets?limit=-1", "limit '-1' must be an integer from 1 to 10000"),
            ("/api/findings?from=1700000600000&to=1700000000000", "to '1700000000000' is before from '1700000600000'"),
            ("/api/incidents?from=2026-12-07T10:00:00Z&to=2026-12-07T09:00:00Z", "to '2026-12-07T09:00:00Z' is before from '2026-12-07T10:00:00Z'"),
            ("/api/findings?from=99999999999999", "from '99999999999999' is out of range for Unix milliseconds"),
            ("/api/incidents?to=9999-01-01T00:00:00Z", "to '9999-01-01T00:00:00Z' is outside 1970-01-01 to 2262-04-11"),
            ("/api/incidents?items=-1", "items '-1' must be an integer from 0 to 100000"),
            ("/api/incidents?items=all", "items 'all' must be an integer from 0 to 100000"),
            ("/api/incidents/inc-none?items=100001", "items '100001' must be an integer from 0 to 100000"),
        ];
        (string Path, string List)[] bounds =
        [
            ("/api/findings?limit=10000&from=0&to=1700000000000", "findings"),
            ("/api/incidents?limit=1&from=1700000000000&to=1700000000000", "incidents"),
            ("/api/assets?limit=10000", "assets"),
        ];
        await using var server = await TestServer.StartAsync();

        foreach (var (path, message) in bad)
        {
            var (status, body) = await GetJsonAsync(server, path);
            Assert.True(status == HttpStatusCode.BadRequest, $"{path}: {status}");
            Assert.Equal(400, body.GetProperty("code").GetInt32());
            Assert.StartsWith(message, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        foreach (var (path, list) in bounds)
        {
            var (status, body) = await GetJsonAsync(server, path);
            Assert.True(status == HttpStatusCode.OK, $"{path}: {status}");
            Assert.Equal(JsonValueKind.Array, body.GetProperty(list).ValueKind);
        }
    }

    [Fact]
    public async Task Api_FindingsAndIncidents_PageWithNextAndAfter_ThroughEveryItemOnce()
    {
        // 23 findings (several at one time, so a page can end inside a tie) and 11 incidents (several updated at one time),
        // stored as the correlator stores them; listed 4 at a time through next / after, then at once.
        await using var server = await TestServer.StartAsync();
        const long T = 1_700_000_000_000_000_000;
        var findings = Enumerable.Range(0, 23).Select(i => Autopilot.Engines.Findings.Finding.Create("dq", "dq.error_rate", $"urn:autopilot:service:prod:s{i % 5}",
            Autopilot.Engines.Findings.FindingSeverity.Warning, 0.3, T + (i / 3 * 60_000_000_000L), T + ((i / 3) + 1) * 60_000_000_000L, T + ((i / 3) + 1) * 60_000_000_000L, $"finding {i}")).ToList();
        var incidents = findings.Take(11).Select((f, i) => Autopilot.Engines.State.IncidentWrite.Whole(new Autopilot.Engines.Incidents.Incident($"inc-{i:D2}", Autopilot.Engines.Incidents.IncidentStatus.Open,
            Autopilot.Engines.Findings.FindingSeverity.Warning, T, T + (i / 4 * 60_000_000_000L), null, [f.Urn], [f.Id], [], [], $"incident {i}"))).ToList();
        server.Server.Runtime.Store.Commit(findings, incidents);

        async Task<List<string>> PageAsync(string path, string list)
        {
            var ids = new List<string>();
            var (status, body) = await GetJsonAsync(server, path + "&limit=4");
            for (var pages = 1; ; pages++)
            {
                Assert.Equal(HttpStatusCode.OK, status);
                var page = body.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
                Assert.InRange(page.Count, 0, 4);
                ids.AddRange(page);
                if (!body.TryGetProperty("next", out var next) || next.ValueKind == JsonValueKind.Null)
                {
                    Assert.True(page.Count < 4, "a full page without next");
                    return ids;
                }

                Assert.InRange(pages, 1, 20);
                (status, body) = await GetJsonAsync(server, path + "&limit=4&after=" + Uri.EscapeDataString(next.GetString()!));
            }
        }

        foreach (var (path, list) in new[] { ("/api/findings?from=0", "findings"), ("/api/findings?urn=urn:autopilot:service:prod:s1", "findings"), ("/api/incidents?status=open", "incidents"), ("/api/incidents?status=open&items=0", "incidents") })
        {
            var (_, whole) = await GetJsonAsync(server, path + "&limit=10000");
            var expected = whole.GetProperty(list).EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await PageAsync(path, list));
        }

        // A token from another listing, or not a token at all, is a 400 naming it.
        var (_, first) = await GetJsonAsync(server, "/api/findings?from=0&limit=4");
        var token = first.GetProperty("next").GetString()!;
        var (otherStatus, other) = await GetJsonAsync(server, "/api/findings?from=1&limit=4&after=" + Uri.EscapeDataString(token));
        Assert.Equal(HttpStatusCode.BadRequest, otherStatus);
        Assert.Equal($"after '{token}' was issued for other filters; keep from, to, urn and engine the same while paging, or start again without after", other.GetProperty("message").GetString());
        var (incidentStatus, incident) = await GetJsonAsync(server, "/api/incidents?status=open&limit=4&after=" + Uri.EscapeDataString(token));
        Assert.Equal(HttpStatusCode.BadRequest, incidentStatus);
        Assert.StartsWith($"after '{token}' was issued for other filters; keep from, to and status", incident.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (badStatus, bad) = await GetJsonAsync(server, "/api/incidents?after=not-a-token!");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("after 'not-a-token!' is not a token from this list's next", bad.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Api_Assets_PageWithNextAndAfter_ThroughEveryAssetOnce()
    {
        // 11 services, each known from one span (OTLP/JSON), listed 3 at a time and at once.
        await using var server = await TestServer.StartAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var resources = string.Join(",", Enumerable.Range(0, 11).Select(i =>
            "{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"svc-" + i.ToString("D2", CultureInfo.InvariantCulture) + "\"}},"
            + "{\"key\":\"deployment.environment.name\",\"value\":{\"stringValue\":\"prod\"}}]},"
            + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + (i + 1).ToString("x32", CultureInfo.InvariantCulture) + "\",\"spanId\":\"" + (i + 1).ToString("x16", CultureInfo.InvariantCulture)
            + "\",\"name\":\"GET /\",\"kind\":2,\"startTimeUnixNano\":\"" + now.ToString(CultureInfo.InvariantCulture) + "\",\"endTimeUnixNano\":\"" + (now + 1_000_000).ToString(CultureInfo.InvariantCulture) + "\"}]}]}"));
        using var response = await server.Http.PostAsync(new Uri("/v1/traces", UriKind.Relative), new StringContent("{\"resourceSpans\":[" + resources + "]}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await server.WaitForAssetAsync("urn:autopilot:service:prod:svc-10", "spans", 1);

        var (_, whole) = await GetJsonAsync(server, "/api/assets?kind=service&limit=10000");
        var expected = whole.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("urn").GetString()!).ToList();
        Assert.Equal(11, expected.Count(u => u.Contains(":svc-", StringComparison.Ordinal)));
        var paged = new List<string>();
        var path = "/api/assets?kind=service&limit=3";
        for (var pages = 0; pages < 10; pages++)
        {
            var (status, body) = await GetJsonAsync(server, path);
            Assert.Equal(HttpStatusCode.OK, status);
            paged.AddRange(body.GetProperty("assets").EnumerateArray().Select(a => a.GetProperty("urn").GetString()!));
            if (!body.TryGetProperty("next", out var next) || next.ValueKind == JsonValueKind.Null)
            {
                break;
            }

            path = "/api/assets?kind=service&limit=3&after=" + Uri.EscapeDataString(next.GetString()!);
        }

        Assert.Equal(expected, paged);

        // The CLI's lists (autopilot health, triage) follow next the same way.
        using (var api = new Autopilot.Host.Commands.OnCall.ServerApi(server.HttpEndpoint, null))
        {
            var listed = await api.ListAsync<Autopilot.Ingest.Inventory.AssetRecord>("/api/assets?kind=service&limit=3", "assets", CancellationToken.None);
            Assert.Equal(expected, listed.Select(a => a.Urn));
        }

        var (_, first) = await GetJsonAsync(server, "/api/assets?kind=service&limit=3");
        var (otherStatus, other) = await GetJsonAsync(server, "/api/assets?kind=dataset&limit=3&after=" + Uri.EscapeDataString(first.GetProperty("next").GetString()!));
        Assert.Equal(HttpStatusCode.BadRequest, otherStatus);
        Assert.EndsWith("was issued for other filters; keep kind and q the same while paging, or start again without after", other.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var refused = await server.Http.GetAsync(new Uri("/api/assets?limit=abc", UriKind.Relative));
        Assert.Contains("limit 'abc' must be", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal); // written as the engines' API writes it, not as \u0027
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(TestServer server, string path)
    {
        using var response = await server.Http.GetAsync(new Uri(path, UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }

    [Fact]
    public async Task Replay_OfARecordedFile_GivesTheSameFindingEveryTime()
    {
        using var dir = new Hosting.TempDirectory();
        var file = Path.Combine(dir.Path, "checkout-traces.json");
        await File.WriteAllTextAsync(file, EngineFixtures.FailingCheckout(minutes: 1));

        async Task<string[]> RunOnce()
        {
            var options = new ServerOptions { DataDirectory = Path.Combine(dir.Path, Guid.NewGuid().ToString("N")) };
            options.Engines.FlushOnComplete = true;
            var (refused, findings, incidents) = await ReplayCommand.RunAsync(options, [file], CancellationToken.None);
            Assert.Empty(refused);
            Assert.Single(incidents);
            return [.. findings.Select(f => $"{f.Id} {f.Kind} {f.Urn} {f.Score}")];
        }

        var first = await RunOnce();
        Assert.Contains(first, f => f.Contains("dq.error_rate urn:autopilot:service:prod:checkout 0.5", StringComparison.Ordinal));
        Assert.Equal(first, await RunOnce());
    }

    [Fact]
    public async Task Replay_Cli_PrintsFindingsAndExitCodes()
    {
        using var dir = new Hosting.TempDirectory();
        var good = Path.Combine(dir.Path, "traces.json");
        await File.WriteAllTextAsync(good, EngineFixtures.FailingCheckout(minutes: 1));
        var bad = Path.Combine(dir.Path, "bad.json");
        await File.WriteAllTextAsync(bad, "{\"hello\": 1}");

        using var process = AutopilotProcessRun($"replay \"{good}\" --output json");
        var json = JsonDocument.Parse(process.Output).RootElement;
        Assert.Equal(0, process.ExitCode);
        Assert.Contains(json.GetProperty("findings").EnumerateArray(), f => f.GetProperty("kind").GetString() == "dq.error_rate");

        using var refused = AutopilotProcessRun($"replay \"{good}\" \"{bad}\"");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("neither an OTLP request", refused.Error, StringComparison.Ordinal);

        using var missing = AutopilotProcessRun("replay /no/such/file.json");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no such file", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_Cli_Directory_ReadsItsTelemetryFiles_LikeTheFilesThemselves()
    {
        using var dir = new Hosting.TempDirectory();
        var recorded = Directory.CreateDirectory(Path.Combine(dir.Path, "recorded", "day1")).FullName;
        var file = Path.Combine(recorded, "traces.json");
        await File.WriteAllTextAsync(file, EngineFixtures.FailingCheckout(minutes: 1));
        await File.WriteAllTextAsync(Path.Combine(recorded, "README.md"), "not telemetry: skipped"); // would be refused if read
        var empty = Directory.CreateDirectory(Path.Combine(dir.Path, "empty")).FullName;

        using var byFile = AutopilotProcessRun($"replay \"{file}\" --output json");
        using var byDirectory = AutopilotProcessRun($"replay \"{Path.Combine(dir.Path, "recorded")}\" --output json");
        Assert.Equal(0, byFile.ExitCode);
        Assert.Equal(0, byDirectory.ExitCode);
        var findings = JsonDocument.Parse(byDirectory.Output).RootElement.GetProperty("findings");
        Assert.Contains(findings.EnumerateArray(), f => f.GetProperty("kind").GetString() == "dq.error_rate");
        Assert.Equal(JsonDocument.Parse(byFile.Output).RootElement.GetProperty("findings").GetRawText(), findings.GetRawText());

        using var nothing = AutopilotProcessRun($"replay \"{empty}\"");
        Assert.Equal(2, nothing.ExitCode);
        Assert.Equal($"autopilot replay: no .json, .jsonl, .ndjson, .pb, .binpb, .protobuf file under the directory '{empty}'", nothing.Error.Trim());
    }

    private static ProcessResult AutopilotProcessRun(string arguments)
    {
        var process = Hosting.AutopilotProcess.Start(arguments, captureOutput: true);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), "autopilot did not finish within 120 s");
        process.WaitForExit();
        return new ProcessResult(process);
    }

    private static async Task<JsonElement> PollAsync(TestServer server, string path, string property)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var doc = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri(path, UriKind.Relative)));
            var items = doc.RootElement.GetProperty(property).Clone();
            if (items.GetArrayLength() > 0 || DateTime.UtcNow > deadline)
            {
                return items;
            }

            await Task.Delay(100);
        }
    }

    private sealed class ProcessResult(System.Diagnostics.Process process) : IDisposable
    {
        public string Output { get; } = process.StandardOutput.ReadToEnd();

        public string Error { get; } = process.StandardError.ReadToEnd();

        public int ExitCode { get; } = process.ExitCode;

        public void Dispose() => process.Dispose();
    }
}
