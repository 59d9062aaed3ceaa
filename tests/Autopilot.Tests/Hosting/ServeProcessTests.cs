using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Autopilot.Host.Tests.Engines;

namespace Autopilot.Host.Tests.Hosting;

/// <summary>Runs the real <c>autopilot</c> executable as a child process, as a user would.</summary>
public sealed class ServeProcessTests
{
    [Fact]
    public async Task Serve_AnswersHealthz_AndExitsCleanlyOnSigterm()
    {
        var (grpcPort, httpPort) = (FreePort(), FreePort());
        using var dataDir = new TempDirectory();
        using var process = AutopilotProcess.Start($"serve --grpc-port {grpcPort} --http-port {httpPort} --data-dir {dataDir.Path}");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var body = await AutopilotProcess.PollAsync(async () => await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/healthz")), TimeSpan.FromSeconds(30));
        Assert.Equal("ok\n", body);

        AutopilotProcess.SendSigterm(process);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "autopilot serve did not exit within 20 s of SIGTERM");
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Serve_SigtermWithAShutdownLongerThanTwoSeconds_DrainsAndExitsZero()
    {
        // A finding waits for a webhook nobody listens on: stopping gives it 5 s to go out before giving up, so the
        // drain takes longer than the 2 s after which System.CommandLine would end the process with 143 on its own.
        var (grpcPort, httpPort, webhookPort) = (FreePort(), FreePort(), FreePort());
        using var dataDir = new TempDirectory();
        using var process = AutopilotProcess.Start($"serve --grpc-port {grpcPort} --http-port {httpPort} --data-dir {dataDir.Path} --events-webhook http://127.0.0.1:{webhookPort}/events");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
            await AutopilotProcess.PollAsync(() => http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), TimeSpan.FromSeconds(30));
            var t0 = SpanFeed.BaseTime();
            await SpanFeed.PostAsync(http, t0, spans: 30, errors: 20, seed: 1);
            await SpanFeed.PostAsync(http, t0 + 120_000_000_000L, spans: 12, errors: 12, seed: 2);
            await SpanFeed.WaitUntilAsync(async () => (await http.GetStringAsync(new Uri("/api/findings?engine=dq.error_rate", UriKind.Relative))).Contains(SpanFeed.Urn, StringComparison.Ordinal), "an error-rate finding (an event for the webhook)");

            AutopilotProcess.SendSigterm(process);
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "autopilot serve did not exit within 60 s of SIGTERM");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public void Serve_WithSamePortForBoth_ExitsWithUsageErrorNamingTheKey()
    {
        using var process = AutopilotProcess.Start("serve --grpc-port 4999 --http-port 4999");
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        var stderr = process.StandardError.ReadToEnd();
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("grpcPort and httpPort must differ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PortHeldByAnotherProcess_ExitsOneWithOneLineNamingTheAddress()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var dataDir = new TempDirectory();
        using var process = AutopilotProcess.Start($"serve --grpc-port {FreePort()} --http-port {taken} --data-dir {dataDir.Path}", captureOutput: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "autopilot serve did not exit when its port was taken");

        Assert.Equal(1, process.ExitCode);
        Assert.Equal(
            $"autopilot serve: Failed to bind to address http://127.0.0.1:{taken}: address already in use; choose other ports with grpcPort / httpPort (--grpc-port / --http-port)",
            (await stderr).Trim());

        // The log says what started (the write-ahead log opened), but not the host's copy of the failure with its stack trace.
        var log = await stdout;
        Assert.Contains("Write-ahead log opened", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting failed to start", log, StringComparison.Ordinal);
        Assert.DoesNotContain("AddressInUseException", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_PortsZero_LogsThePortsItBound()
    {
        using var dataDir = new TempDirectory();
        using var process = AutopilotProcess.Start($"serve --grpc-port 0 --http-port 0 --data-dir {dataDir.Path} --log-format text", captureOutput: true);
        try
        {
            var listening = await ReadLineAsync(process, l => l.Contains("Autopilot listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            var match = System.Text.RegularExpressions.Regex.Match(listening, @"gRPC port (\d+) .*HTTP port (\d+) ");
            Assert.True(match.Success, listening);
            var (grpcPort, httpPort) = (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.NotEqual(0, grpcPort);
            Assert.NotEqual(0, httpPort);

            // The HTTP port answers HTTP/1.1, the gRPC port HTTP/2 only: the log names each listener's own port.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal("ok\n", await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/healthz")));
            using var h2 = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{grpcPort}/healthz")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            using var response = await http.SendAsync(h2);
            Assert.Equal(HttpVersion.Version20, response.Version);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Serve_ReloadsItsDataContracts_OnSighupAndPostReload_RefusingABadFile()
    {
        using var dataDir = new TempDirectory();
        using var contracts = new TempDirectory();
        File.WriteAllText(Path.Combine(contracts.Path, "orders.yaml"), "dataset: { namespace: pg, name: public.orders }\nquality:\n  - rowCount > 0\n");
        var httpPort = FreePort();
        using var process = AutopilotProcess.Start($"serve --grpc-port {FreePort()} --http-port {httpPort} --data-dir {dataDir.Path} --contracts {contracts.Path} --log-format text", captureOutput: true);
        try
        {
            var loaded = await ReadLineAsync(process, l => l.Contains("data contracts:", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            Assert.Contains("1 in force", loaded, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
            await AutopilotProcess.PollAsync(() => http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), TimeSpan.FromSeconds(30));

            // SIGHUP: a second contract is in force, and the server goes on.
            File.WriteAllText(Path.Combine(contracts.Path, "users.yaml"), "dataset: { namespace: pg, name: public.users }\nquality:\n  - rowCount > 0\n");
            using (var hup = Process.Start("kill", ["-HUP", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await hup.WaitForExitAsync();
            }

            var reloaded = await ReadLineAsync(process, l => l.Contains("data contracts reloaded", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Contains("2 in force", reloaded, StringComparison.Ordinal);
            Assert.False(process.HasExited);

            // A file with a typo: refused with a 400 naming it; the two in force stay.
            File.WriteAllText(Path.Combine(contracts.Path, "bad.yaml"), "dataset: { namespace: pg, name: public.bad }\nqualty:\n  - rowCount > 0\n");
            using var refused = await http.PostAsync(new Uri("/-/reload", UriKind.Relative), null);
            var body = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.False(body.GetProperty("applied").GetBoolean());
            Assert.Equal(2, body.GetProperty("contracts").GetInt32());
            var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
            Assert.Equal("bad.yaml", error.GetProperty("file").GetString());
            Assert.Contains("qualty", error.GetProperty("key").GetString() + error.GetProperty("message").GetString(), StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(contracts.Path, "bad.yaml"), "dataset: { namespace: pg, name: public.bad }\nquality:\n  - rowCount > 0\n");
            using var applied = await http.PostAsync(new Uri("/-/reload", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
            Assert.Equal(3, System.Text.Json.JsonDocument.Parse(await applied.Content.ReadAsStringAsync()).RootElement.GetProperty("contracts").GetInt32());
            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains("autopilot_engines_contract_reloads_total{outcome=\"applied\"} 2", metrics, StringComparison.Ordinal);
            Assert.Contains("autopilot_engines_contract_reloads_total{outcome=\"refused\"} 1", metrics, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Serve_Reload_AppliesEditedRules_AndNamesTheKeysThatNeedARestart()
    {
        using var dataDir = new TempDirectory();
        using var contracts = new TempDirectory();
        File.WriteAllText(Path.Combine(contracts.Path, "orders.yaml"), "dataset: { namespace: pg, name: public.orders }\nquality:\n  - rowCount > 0\n");
        var config = Path.Combine(dataDir.Path, "autopilot.yaml");
        File.WriteAllText(config, "engines:\n  anomaly:\n    rules:\n      - { name: p99, expression: \"p99 > 1.5s for 60s\" }\n");
        var httpPort = FreePort();
        using var process = AutopilotProcess.Start($"serve --config {config} --grpc-port {FreePort()} --http-port {httpPort} --data-dir {dataDir.Path} --contracts {contracts.Path} --log-format text", captureOutput: true);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
            await AutopilotProcess.PollAsync(() => http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), TimeSpan.FromSeconds(60));

            // Nothing changed: the answer says so.
            var same = await ReloadAsync(http);
            Assert.Empty(same.GetProperty("configApplied").EnumerateArray());
            Assert.Empty(same.GetProperty("restartRequired").EnumerateArray());
            Assert.Empty(same.GetProperty("configErrors").EnumerateArray());

            // SIGHUP after editing the rule: the new rule is in force (logged), the contracts reload as before.
            File.WriteAllText(config, "engines:\n  anomaly:\n    rules:\n      - { name: p99, expression: \"p99 > 2s for 60s\" }\n");
            using (var hup = Process.Start("kill", ["-HUP", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await hup.WaitForExitAsync();
            }

            var applied = await ReadLineAsync(process, l => l.Contains("configuration reloaded", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Contains("engines.anomaly.rules", applied, StringComparison.Ordinal);

            // A key a reload cannot apply: named in the answer (and the log), not silently ignored; the rule stays applied.
            File.WriteAllText(config, "engines:\n  freshness:\n    minObservations: 7\n  anomaly:\n    rules:\n      - { name: p99, expression: \"p99 > 2s for 60s\" }\n");
            var changed = await ReloadAsync(http);
            Assert.True(changed.GetProperty("applied").GetBoolean());
            Assert.Empty(changed.GetProperty("configApplied").EnumerateArray());
            Assert.Equal("engines.freshness.minObservations", Assert.Single(changed.GetProperty("restartRequired").EnumerateArray()).GetString());
            var warning = await ReadLineAsync(process, l => l.Contains("configuration changed since start", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            Assert.Contains("engines.freshness.minObservations", warning, StringComparison.Ordinal);

            // A file that no longer loads: named in configErrors; the contracts still reload and the server goes on.
            File.WriteAllText(config, "engines:\n  shards: many\n");
            var broken = await ReloadAsync(http);
            Assert.Contains("engines.shards", Assert.Single(broken.GetProperty("configErrors").EnumerateArray()).GetString(), StringComparison.Ordinal);
            Assert.Equal("ok\n", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>POST /-/reload with contracts that load: a 200 and its body.</summary>
    private static async Task<System.Text.Json.JsonElement> ReloadAsync(HttpClient http)
    {
        using var response = await http.PostAsync(new Uri("/-/reload", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<string> ReadLineAsync(Process process, Func<string, bool> wanted, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            if (wanted(line))
            {
                return line;
            }
        }

        throw new InvalidOperationException("autopilot serve ended its output without the line looked for");
    }

    private static readonly HashSet<int> Handed = [];

    /// <summary>
    /// A loopback port free right now and never handed out before in this process: the kernel may give a port just
    /// released to the next caller, so two picks for one server (gRPC and HTTP) could otherwise be the same port.
    /// </summary>
    internal static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Handed)
            {
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
