using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Autopilot.Host.Commands;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Demo;

/// <summary>
/// <c>autopilot demo</c> as a user runs it: the built executable as a child process on free loopback ports, the
/// simulated shop sending real OpenTelemetry SDK exports into the real server in that process, a short live phase
/// (<c>--duration</c>, <c>--backfill</c> and timed <c>--faults</c> make the schedule short; the defaults stay at
/// about two minutes), then the JSON summary, the data directory reopened by <c>autopilot serve</c>, and signals.
/// </summary>
public sealed partial class DemoCommandTests
{
    // A short schedule: 20 simulated minutes of history (enough for the error-rate and schema engines, which need no
    // learned baseline), a deploy that fails payment's requests 5 s into the live phase and a schema change at 15 s.
    private const string ShortSchedule = "--duration 60s --backfill 20m --faults deploy-errors:payment@5s,schema-change@15s";

    [Fact]
    public async Task Demo_ShortSchedule_ServesTheDashboard_FindsEachFault_AndLeavesACheckpointedDataDirectory()
    {
        using var data = new TempDirectory();
        var (http, grpc) = (FreePort(), FreePort());
        using var demo = new ChildProcess($"demo --http-port {http} --grpc-port {grpc} --data-dir {data.Path} {ShortSchedule} --output json");

        // The dashboard URL is the first thing printed (to stderr with --output json: stdout carries only the JSON).
        var first = await demo.WaitForLineAsync(l => l.Length > 0, TimeSpan.FromMinutes(2));
        var dashboard = new Uri(DashboardLine().Match(first) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException($"first line is not the dashboard: '{first}'"));
        Assert.Equal(http, dashboard.Port);
        using var client = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(30) };
        var page = await client.GetStringAsync(dashboard);
        Assert.Contains("<title>Autopilot</title>", page, StringComparison.Ordinal);

        // While it runs, incidents appear on the server and the explain endpoint answers for them.
        var explained = await PollAsync(async () =>
        {
            using var list = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/incidents", UriKind.Relative)));
            foreach (var incident in list.RootElement.GetProperty("incidents").EnumerateArray())
            {
                var id = incident.GetProperty("id").GetString()!;
                using var answer = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/incidents/{id}/explain", UriKind.Relative)));
                if (answer.RootElement.GetProperty("rootCauses").GetArrayLength() > 0)
                {
                    return id;
                }
            }

            return null;
        }, TimeSpan.FromMinutes(4), demo);
        Assert.StartsWith("inc-", explained, StringComparison.Ordinal);

        Assert.Equal(0, await demo.WaitForExitAsync(TimeSpan.FromMinutes(6)));
        using var summary = JsonDocument.Parse(demo.Stdout);
        var root = summary.RootElement;
        Assert.Equal(dashboard.ToString(), root.GetProperty("dashboard").GetString());
        Assert.False(root.GetProperty("interrupted").GetBoolean());
        Assert.True(root.GetProperty("dataDirectoryKept").GetBoolean());
        Assert.True(root.GetProperty("traffic").GetProperty("spans").GetInt64() > 0);
        Assert.Equal(0, root.GetProperty("traffic").GetProperty("exportFailures").GetInt64());

        var faults = root.GetProperty("faults").EnumerateArray().ToList();
        Assert.Equal(["deploy-errors payment", "schema-change orders_daily"], faults.Select(f => f.GetProperty("kind").GetString() + " " + f.GetProperty("target").GetString()));
        Assert.Equal(["urn:autopilot:service:demo:payment", "urn:autopilot:dataset:postgresql/analytics:orders_daily"], faults.Select(f => f.GetProperty("rootUrn").GetString()));
        Assert.Equal(2, root.GetProperty("injected").GetInt32());
        Assert.Equal(2, root.GetProperty("detected").GetInt32());
        foreach (var fault in faults)
        {
            Assert.True(fault.GetProperty("injected").GetBoolean());
            var incident = fault.GetProperty("incident");
            Assert.Equal(JsonValueKind.Object, incident.ValueKind);
            Assert.True(fault.GetProperty("findings").GetInt32() > 0);

            // The fault's own asset is among the incident's: the engines flagged the root itself (error rate, schema drift).
            Assert.Contains(fault.GetProperty("rootUrn").GetString(), incident.GetProperty("affectedUrns").EnumerateArray().Select(u => u.GetString()));
            Assert.Equal("rules", incident.GetProperty("explainer").GetString());
            Assert.False(string.IsNullOrWhiteSpace(incident.GetProperty("summary").GetString()));
            Assert.Equal(dashboard + "#/incidents/" + incident.GetProperty("id").GetString(), incident.GetProperty("url").GetString());
            var causes = incident.GetProperty("rootCauses").EnumerateArray().Select(c => c.GetProperty("urn").GetString()).ToList();
            Assert.NotEmpty(causes);

            // The verdict is the comparison with the ground truth, not a constant.
            var rank = causes.IndexOf(fault.GetProperty("rootUrn").GetString()) + 1;
            Assert.Equal(rank == 1, fault.GetProperty("top1").GetBoolean());
            Assert.Equal(rank == 0 ? JsonValueKind.Null : JsonValueKind.Number, fault.GetProperty("rootRank").ValueKind);
        }

        Assert.Equal(faults.Count(f => f.GetProperty("top1").GetBoolean()), root.GetProperty("top1Correct").GetInt32());

        // Clean stop: serve on the same data directory replays nothing from the write-ahead log, and its RCA answer for
        // the deploy's incident (from the stored findings and graph) is the one the demo printed.
        var (http2, grpc2) = (FreePort(), FreePort());
        using var serve = new ChildProcess($"serve --http-port {http2} --grpc-port {grpc2} --data-dir {data.Path}");
        var replay = await serve.WaitForLineAsync(l => l.Contains("replaying", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        Assert.Equal("0", ReplayLine().Match(replay).Groups[1].Value);
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http2}/"), Timeout = TimeSpan.FromSeconds(30) };
        var deploy = faults[0].GetProperty("incident");
        var again = await PollAsync(async () => await api.GetStringAsync(new Uri($"/api/incidents/{deploy.GetProperty("id").GetString()}/explain", UriKind.Relative)), TimeSpan.FromMinutes(1), serve);
        using var answer = JsonDocument.Parse(again);
        Assert.Equal(deploy.GetProperty("rootCauses")[0].GetProperty("urn").GetString(), answer.RootElement.GetProperty("rootCauses")[0].GetProperty("urn").GetString());
        serve.Signal("TERM");
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task Demo_SignalDuringTheLivePhase_StopsCleanly_WithTheSignalsExitCode(string signal, int exitCode)
    {
        using var data = new TempDirectory();
        using var demo = new ChildProcess($"demo --http-port {FreePort()} --grpc-port {FreePort()} --data-dir {data.Path} --duration 3m --backfill 10m --faults deploy-errors:payment@2m");
        await demo.WaitForLineAsync(l => l.StartsWith("2. Live", StringComparison.Ordinal), TimeSpan.FromMinutes(3));
        demo.Signal(signal);

        Assert.Equal(exitCode, await demo.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("(interrupted)", demo.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"1\s+deploy-errors payment\s+\+2:00\s+not injected", demo.Stdout);
        Assert.Contains("Stopped cleanly", demo.Stdout, StringComparison.Ordinal);

        var http = FreePort();
        using var serve = new ChildProcess($"serve --http-port {http} --grpc-port {FreePort()} --data-dir {data.Path}");
        var replay = await serve.WaitForLineAsync(l => l.Contains("replaying", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        Assert.Equal("0", ReplayLine().Match(replay).Groups[1].Value);

        // Stopped once it is up, as a user would (a signal while it is still opening the data directory is another test's business).
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await PollAsync(async () => await client.GetStringAsync(new Uri($"http://127.0.0.1:{http}/healthz")), TimeSpan.FromMinutes(1), serve);
        serve.Signal("TERM");
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Demo_DefaultHttpPortTaken_UsesAFreePortAndSaysSo()
    {
        // Holds 4318 unless something else already does; either way the default is taken.
        TcpListener? holder = null;
        try
        {
            holder = new TcpListener(IPAddress.Loopback, 4318);
            holder.Start();
        }
        catch (SocketException)
        {
            holder = null;
        }

        try
        {
            var (code, stdout, stderr) = await RunAsync("demo", "--grpc-port", "0", "--faults", "none", "--duration", "10s", "--backfill", "5m", "--output", "json");
            Assert.True(code == 0, $"exit {code}\n{stderr}");
            Assert.Contains("port 4318 is in use", stderr, StringComparison.Ordinal);
            using var summary = JsonDocument.Parse(stdout);
            var port = new Uri(summary.RootElement.GetProperty("dashboard").GetString()!).Port;
            Assert.NotEqual(4318, port);
            Assert.Contains($"http-port {port} is used instead", stderr, StringComparison.Ordinal);
            Assert.False(summary.RootElement.GetProperty("dataDirectoryKept").GetBoolean());
            Assert.False(Directory.Exists(summary.RootElement.GetProperty("dataDirectory").GetString()), "the temporary data directory was not deleted");
            Assert.Empty(summary.RootElement.GetProperty("faults").EnumerateArray());
        }
        finally
        {
            holder?.Stop();
        }
    }

    [Theory]
    [InlineData("--faults meltdown", "--faults: unknown fault kind 'meltdown'")]
    [InlineData("--faults slow-db:shop.nothing", "slow-db cannot target 'shop.nothing'; targets: shop.inventory")]
    [InlineData("--duration soon", "--duration 'soon' is not a duration")]
    [InlineData("--duration 5s", "--duration must be between 10s and 24h")]
    [InlineData("--faults latency:payment@3m", "not within the --duration of 2m")]
    [InlineData("--http-port 7000 --grpc-port 7000", "--http-port and --grpc-port must differ")]
    [InlineData("--output yaml", "yaml")]
    public async Task Demo_BadOption_ExitsWithUsageErrorNamingIt(string arguments, string expected)
    {
        var (code, _, stderr) = await RunAsync(["demo", .. arguments.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_DataDirectoryNotEmpty_ExitsWithUsageError()
    {
        using var data = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(data.Path, "keep.txt"), "mine");
        var (code, _, stderr) = await RunAsync("demo", "--data-dir", data.Path);
        Assert.Equal(2, code);
        Assert.Contains("is not empty", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data.Path, "keep.txt")));
    }

    [Fact]
    public async Task Demo_ChosenPortTaken_ExitsWithUsageErrorNamingTheFlag()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var (code, _, stderr) = await RunAsync("demo", "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--grpc-port", "0");
        Assert.Equal(2, code);
        Assert.Contains($"--http-port {port}: the port is in use", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var root = new RootCommand { DemoCommand.Create() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return (2, string.Empty, string.Join('\n', parse.Errors.Select(e => e.Message)));
        }

        var code = await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> attempt, TimeSpan timeout, ChildProcess process)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await attempt() is { } value)
                {
                    return value;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet, or the incident is being written: try again.
            }

            Assert.True(DateTime.UtcNow < deadline, $"nothing within {timeout}\nstdout:\n{process.Stdout}\nstderr:\n{process.Stderr}");
            await Task.Delay(500);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^Dashboard\s+(http://\S+)$")]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"replaying (\d+) requests")]
    private static partial Regex ReplayLine();
}
