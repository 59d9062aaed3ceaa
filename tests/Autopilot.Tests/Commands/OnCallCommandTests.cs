using System.Diagnostics;
using System.Text.Json;
using Autopilot.Engines.Anomaly;
using Autopilot.Host.Commands.OnCall;
using Autopilot.Host.Tests.Engines;
using Autopilot.Host.Tests.Hosting;
using Autopilot.Host.Tests.Ingest;

namespace Autopilot.Host.Tests.Commands;

/// <summary>
/// <c>health</c>, <c>triage</c> and <c>slo</c> against a real server holding findings made from spans, and
/// <c>slo</c> / <c>canary-gate</c> against a real Prometheus 2.42 scraping itself.
/// </summary>
public sealed class OnCallCommandTests
{
    private const long Minute = 60_000_000_000;

    [Fact]
    public async Task Health_And_Triage_ShowTheFailingServiceItsIncidentAndTheRunbookSteps()
    {
        await using var server = await TestServer.StartAsync();
        var t0 = SpanFeed.BaseTime();
        await SpanFeed.PostAsync(server.Http, t0, spans: 30, errors: 20, seed: 1);
        await SpanFeed.PostAsync(server.Http, t0 + (2 * Minute), spans: 12, errors: 12, seed: 2);
        await SpanFeed.WaitUntilAsync(async () => (await server.Http.GetStringAsync(new Uri("/api/incidents?status=open", UriKind.Relative))).Contains(SpanFeed.Urn, StringComparison.Ordinal), "an open incident on the service");
        var incidentId = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/api/incidents?status=open", UriKind.Relative))).RootElement.GetProperty("incidents")[0].GetProperty("id").GetString()!;

        var (code, stdout, stderr) = await RunAsync("health", "--server", server.HttpEndpoint.ToString(), "--window", "03:00:00", "--output", "json");

        Assert.True(code == ExitCodes.Alert, $"exit {code}: {stderr}");
        using var health = JsonDocument.Parse(stdout);
        var asset = health.RootElement.GetProperty("assets").EnumerateArray().Single(a => a.GetProperty("urn").GetString() == SpanFeed.Urn);
        Assert.NotEqual("healthy", asset.GetProperty("health").GetString());
        var open = health.RootElement.GetProperty("openIncidents")[0];
        Assert.Equal(incidentId, open.GetProperty("id").GetString());

        // Each open incident with how many findings and timeline entries it has, not the lists themselves.
        using (var whole = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/api/incidents/" + incidentId, UriKind.Relative))))
        {
            Assert.Equal(whole.RootElement.GetProperty("findingIds").GetArrayLength(), open.GetProperty("findingCount").GetInt32());
            Assert.Equal(whole.RootElement.GetProperty("timeline").GetArrayLength(), open.GetProperty("timelineCount").GetInt32());
            Assert.InRange(open.GetProperty("findingCount").GetInt32(), 1, int.MaxValue);
            Assert.False(open.TryGetProperty("findingIds", out _));
            Assert.Equal(whole.RootElement.GetProperty("affectedUrns").EnumerateArray().Select(u => u.GetString()), open.GetProperty("affectedUrns").EnumerateArray().Select(u => u.GetString()));
        }

        Assert.Contains(health.RootElement.GetProperty("nextChecks").EnumerateArray(), c => c.GetString()!.StartsWith($"autopilot rca {incidentId}", StringComparison.Ordinal));

        var (tableCode, table, _) = await RunAsync("health", "--server", server.HttpEndpoint.ToString(), "--window", "03:00:00");
        Assert.Equal(ExitCodes.Alert, tableCode);
        Assert.Contains("Open incidents: 1", table, StringComparison.Ordinal);
        Assert.Contains(SpanFeed.Urn, table, StringComparison.Ordinal);

        using var runbooks = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(runbooks.Path, "errors.md"), """
            ---
            signatures: ["dq.error_rate"]
            ---
            # Error burst

            Some context that is not a step.

            ## Steps
            1. Check the last deploy of the service.
            2. Roll back if the errors started with it.

            ## Notes
            - not a step either
            """);
        await File.WriteAllTextAsync(Path.Combine(runbooks.Path, "other.md"), "---\nurns: [\"urn:autopilot:service:default:someone-else\"]\n---\n# Other\n- never shown\n");

        var (triageCode, triage, triageErr) = await RunAsync("triage", "--urn", SpanFeed.Urn, "--server", server.HttpEndpoint.ToString(), "--window", "03:00:00", "--runbooks", runbooks.Path, "--output", "json");

        Assert.True(triageCode == ExitCodes.Ok, $"exit {triageCode}: {triageErr}");
        using var report = JsonDocument.Parse(triage);
        Assert.Equal(incidentId, report.RootElement.GetProperty("openIncidents")[0].GetString());
        Assert.Contains(report.RootElement.GetProperty("topErrors").EnumerateArray(), e => e.GetProperty("kind").GetString() == "dq.error_rate");
        var book = Assert.Single(report.RootElement.GetProperty("runbooks").EnumerateArray());
        Assert.Equal("Error burst", book.GetProperty("title").GetString());
        Assert.Equal(["Check the last deploy of the service.", "Roll back if the errors started with it."], book.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Triage_BrokenRunbookOrBadUrn_IsAUsageErrorNamingIt()
    {
        using var runbooks = new TempDirectory();
        var broken = Path.Combine(runbooks.Path, "broken.md");
        await File.WriteAllTextAsync(broken, "---\nurns: [unclosed\n---\n# x\n");

        var (code, _, stderr) = await RunAsync("triage", "--urn", "urn:autopilot:service:prod:a", "--runbooks", runbooks.Path, "--server", "http://127.0.0.1:9");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(broken, stderr, StringComparison.Ordinal);

        var (bad, _, badErr) = await RunAsync("triage", "--urn", "checkout");
        Assert.Equal(ExitCodes.Usage, bad);
        Assert.Contains("'checkout' is not an Autopilot URN", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ServerDown_ExitsFourNamingTheAddress()
    {
        var port = ServeProcessTests.FreePort();
        var (code, stdout, stderr) = await RunAsync("health", "--server", $"http://127.0.0.1:{port}");

        Assert.True(code == ExitCodes.Unavailable, $"exit {code}: {stderr}");
        Assert.Equal(string.Empty, stdout);
        Assert.Contains($"cannot reach Autopilot at http://127.0.0.1:{port}/", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Slo_FromAutopilot_ReportsTheEnginesBurnRatesAndFiringPolicies()
    {
        await using var server = await TestServer.StartAsync(o => o.Engines.Anomaly.Slos.Add(new SloOptions { Name = "orders", Urn = SpanFeed.Urn, Objective = 0.99 }));
        var t0 = SpanFeed.BaseTime();
        await SpanFeed.PostAsync(server.Http, t0, spans: 60, errors: 30, seed: 1);
        await SpanFeed.PostAsync(server.Http, t0 + (3 * Minute), spans: 5, errors: 0, seed: 2);
        await SpanFeed.WaitUntilAsync(async () => (await server.Http.GetStringAsync(new Uri("/api/slo", UriKind.Relative))).Contains("\"bad\":30", StringComparison.Ordinal), "the SLO status of the minute with 30 failures");

        var (code, stdout, stderr) = await RunAsync("slo", "--server", server.HttpEndpoint.ToString(), "--output", "json");

        Assert.True(code == ExitCodes.Alert, $"exit {code}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var status = Assert.Single(json.RootElement.GetProperty("slos").EnumerateArray());
        Assert.Equal("orders", status.GetProperty("slo").GetString());
        var threeDays = status.GetProperty("windows").EnumerateArray().Single(w => w.GetProperty("window").GetString() == "3d");
        var (bad, total) = (threeDays.GetProperty("bad").GetInt64(), threeDays.GetProperty("total").GetInt64());
        Assert.Equal(30, bad);
        Assert.InRange(total, 60, 65);
        Assert.Equal(BurnRate.Of(bad, total, 0.99), threeDays.GetProperty("burnRate").GetDouble(), 9);
        Assert.Contains("1h/5m", status.GetProperty("firing").EnumerateArray().Select(f => f.GetString()));

        var (_, table, _) = await RunAsync("slo", "--server", server.HttpEndpoint.ToString(), "--name", "another");
        Assert.Contains("No SLO targets yet", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slo_And_CanaryGate_AgainstARealPrometheus()
    {
        using var prometheus = await PrometheusProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = prometheus.Address };

        const string Err = "prometheus_http_requests_total{code=~\"4..\"}";
        const string Tot = "prometheus_http_requests_total";
        JsonElement report = default;
        int code = -1;
        await SpanFeed.WaitUntilAsync(async () =>
        {
            // Bad queries are answered 400 and counted in Prometheus' own prometheus_http_requests_total{code="400"};
            // they keep coming, so the counter rises between scrapes and increase() sees them.
            for (var i = 0; i < 5; i++)
            {
                using var _ = await http.GetAsync(new Uri("/api/v1/query?query=rate(", UriKind.Relative));
            }

            await Task.Delay(500);
            var (c, stdout, _) = await RunAsync("slo", "--prometheus", prometheus.Address.ToString(), "--err", Err, "--tot", Tot, "--objective", "0.999", "--output", "json");
            code = c;
            if (c is not (ExitCodes.Ok or ExitCodes.Alert))
            {
                return false;
            }

            report = JsonDocument.Parse(stdout).RootElement.Clone();
            return report.GetProperty("windows")[0].GetProperty("bad").GetDouble() > 0;
        }, "Prometheus to scrape the 400s it answered", timeoutSeconds: 90);

        var fiveMinutes = report.GetProperty("windows")[0];
        var ratio = fiveMinutes.GetProperty("bad").GetDouble() / fiveMinutes.GetProperty("total").GetDouble();
        Assert.InRange(ratio, 0.0001, 1);
        Assert.Equal(ratio / (1 - 0.999), fiveMinutes.GetProperty("burnRate").GetDouble(), 6);
        var page = report.GetProperty("policies").EnumerateArray().Single(p => p.GetProperty("policy").GetString() == "1h/5m");
        Assert.Equal(page.GetProperty("fires").GetBoolean(), page.GetProperty("longBurnRate").GetDouble() > 14.4 && page.GetProperty("shortBurnRate").GetDouble() > 14.4);
        Assert.Equal(report.GetProperty("firing").GetArrayLength() > 0 ? ExitCodes.Alert : ExitCodes.Ok, code);

        var (nothing, quiet, _) = await RunAsync("slo", "--prometheus", prometheus.Address.ToString(), "--err", "prometheus_http_requests_total{code=\"599\"}", "--tot", Tot, "--objective", "0.999");
        Assert.Equal(ExitCodes.Ok, nothing);
        Assert.Contains("0x", quiet, StringComparison.Ordinal);

        var (broken, _, brokenErr) = await RunAsync("slo", "--prometheus", prometheus.Address.ToString(), "--err", "rate(", "--tot", Tot, "--objective", "0.999");
        Assert.Equal(ExitCodes.Unavailable, broken);
        Assert.Contains("Prometheus rejected the query", brokenErr, StringComparison.Ordinal);

        // The same numbers on both sides: nothing to hold against the canary. All its requests failing: roll back.
        string[] Gate(string canaryErrors) =>
        [
            "canary-gate", "--prometheus", prometheus.Address.ToString(), "--min-requests", "1", "--output", "json",
            "--baseline-requests-query", $"sum({Tot})", "--baseline-errors-query", $"sum({Err})",
            "--canary-requests-query", $"sum({Tot})", "--canary-errors-query", canaryErrors,
        ];
        var (same, sameOut, sameErr) = await RunAsync(Gate($"sum({Err})"));
        Assert.True(same == ExitCodes.Ok, $"exit {same}: {sameErr} {sameOut}");
        var (worse, worseOut, _) = await RunAsync(Gate($"sum({Tot})"));
        Assert.Equal(ExitCodes.Alert, worse);
        Assert.Equal("rollback", JsonDocument.Parse(worseOut).RootElement.GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData(10_000, 50, 1_000, 30, null, null, "rollback")] // 3 % vs 0.5 %: z ≈ 8.9
    [InlineData(10_000, 50, 1_000, 6, null, null, "continue")] // 0.6 % vs 0.5 %
    [InlineData(10_000, 50, 150, 30, null, null, "hold")] // too few canary requests to judge
    [InlineData(10_000, 100, 1_000, 16, null, null, "hold")] // 1.6 % vs 1 %: p ≈ 0.04, above half the tolerance
    [InlineData(10_000, 50, 1_000, 5, 200.0, 260.0, "rollback")] // p99 +30 %
    [InlineData(10_000, 50, 1_000, 5, 200.0, 225.0, "hold")] // p99 +12.5 %: past half the tolerance
    [InlineData(10_000, 50, 1_000, 5, 200.0, 210.0, "continue")]
    public void CanaryGate_Judge_VerdictFollowsTheDocumentedRules(double baseReq, double baseErr, double canReq, double canErr, double? baseP99, double? canP99, string verdict)
    {
        var result = CanaryGateCommand.Judge(new CanaryInput(baseReq, baseErr, canReq, canErr, null, null, baseP99, canP99), new CanaryLimits(200, 0.01, 0.2));

        Assert.Equal(verdict, result.Verdict);
    }

    [Fact]
    public void NormalCdf_MatchesTables()
    {
        Assert.Equal(0.5, CanaryGateCommand.NormalCdf(0), 7);
        Assert.Equal(0.9750021, CanaryGateCommand.NormalCdf(1.96), 6);
        Assert.Equal(0.99, CanaryGateCommand.NormalCdf(2.326348), 6);
        Assert.Equal(0.1586553, CanaryGateCommand.NormalCdf(-1), 6);
    }

    [Theory]
    [InlineData("--baseline-requests 100 --baseline-errors 200 --canary-requests 10 --canary-errors 1", "baseline errors (200) exceed its requests (100)")]
    [InlineData("--baseline-requests 100 --baseline-errors 1 --canary-requests 10", "give --baseline-requests")]
    [InlineData("--baseline-requests -5 --baseline-errors 1 --canary-requests 10 --canary-errors 1", "baseline requests is -5")]
    [InlineData("--prometheus http://127.0.0.1:9 --baseline-requests-query up", "--prometheus needs")]
    public async Task CanaryGate_BadInput_ExitsTwoWithOneLine(string arguments, string message)
    {
        var (code, stdout, stderr) = await RunAsync(["canary-gate", .. arguments.Split(' ')]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task CanaryGate_Table_ShowsVerdictAndEveryCheck()
    {
        var (code, stdout, _) = await RunAsync("canary-gate", "--baseline-requests", "10000", "--baseline-errors", "50", "--canary-requests", "1000", "--canary-errors", "30", "--baseline-p95", "100", "--canary-p95", "101");

        Assert.Equal(ExitCodes.Alert, code);
        Assert.StartsWith("Verdict: ROLLBACK", stdout, StringComparison.Ordinal);
        Assert.Contains("error rate   fail", stdout, StringComparison.Ordinal);
        Assert.Contains("p95 latency  pass", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Runbook_WithoutFrontMatter_MatchesByFileNameAndTakesEveryListItem()
    {
        var book = Runbooks.Parse("/rb/checkout.md", "# Checkout\n\n- restart the pod\n* check the queue\n1) call payments\ntext\n");

        Assert.False(book.HasFrontMatter);
        Assert.Equal(["restart the pod", "check the queue", "call payments"], book.Steps);
    }

    internal static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        CommandRun.RunAsync([HealthCommand.Create(), TriageCommand.Create(), SloCommand.Create(), CanaryGateCommand.Create()], args);

    /// <summary>A real Prometheus (Debian's 2.42, installed by test.sh) scraping itself every second on a free loopback port.</summary>
    private sealed class PrometheusProcess : IDisposable
    {
        private readonly Process _process;
        private readonly DirectoryInfo _dir;

        private PrometheusProcess(Process process, DirectoryInfo dir, Uri address)
        {
            _process = process;
            _dir = dir;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<PrometheusProcess> StartAsync()
        {
            const string binary = "/usr/bin/prometheus";
            Assert.True(File.Exists(binary), $"{binary} is missing: ./test.sh installs Debian's prometheus package.");
            var dir = Directory.CreateTempSubdirectory("autopilot-prom-");
            var port = ServeProcessTests.FreePort();
            var config = Path.Combine(dir.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:{port}']
                """);
            var process = Process.Start(new ProcessStartInfo(binary)
            {
                ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir.FullName, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            process.ErrorDataReceived += (_, _) => { };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var address = new Uri($"http://127.0.0.1:{port}");
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            await SpanFeed.WaitUntilAsync(async () =>
            {
                try
                {
                    using var ready = await http.GetAsync(new Uri("/-/ready", UriKind.Relative));
                    return ready.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "Prometheus to be ready", timeoutSeconds: 60);
            return new PrometheusProcess(process, dir, address);
        }

        public void Dispose()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
            _dir.Delete(recursive: true);
        }
    }
}
