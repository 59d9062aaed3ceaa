using System.Text.Json;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Demo;

/// <summary>
/// <c>autopilot demo</c> as a user runs it: the built executable as a child process on free loopback ports, the
/// simulated shop sending real OpenTelemetry SDK exports into the real server in that process, a short live phase
/// (<c>--duration</c>, <c>--backfill</c> and timed <c>--faults</c> make the schedule short; the defaults stay at
/// about two minutes), then the JSON summary, the data directory reopened by <c>autopilot serve</c>, and signals.
/// </summary>
public sealed class DemoCommandTests
{
    // A short schedule: 20 simulated minutes of history (enough for the log-template, error-rate and schema engines,
    // which need no long learned baseline), a deploy that fails payment's requests 2 s into the live phase and a schema
    // change at 5 s. The live phase lasts until both are found and explained (20 s at least, 80 s at most).
    private const string ShortSchedule = "--duration 20s --backfill 20m --faults deploy-errors:payment@2s,schema-change@5s";

    [Fact]
    public async Task Demo_ShortSchedule_ServesTheDashboard_FindsEachFault_AndLeavesACheckpointedDataDirectory()
    {
        using var data = new TempDirectory();
        var (http, grpc) = (ServeProcessTests.FreePort(), ServeProcessTests.FreePort());
        using var demo = new ChildProcess($"demo --http-port {http} --grpc-port {grpc} --data-dir {data.Path} {ShortSchedule} --output json");

        // The dashboard URL is the first thing printed (to stderr with --output json: stdout carries only the JSON).
        var first = await demo.WaitForLineAsync(l => l.Length > 0, TimeSpan.FromMinutes(2));
        var dashboard = new Uri(DemoProcesses.DashboardLine().Match(first) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException($"first line is not the dashboard: '{first}'"));
        Assert.Equal(http, dashboard.Port);
        using var client = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(30) };
        var page = await client.GetStringAsync(dashboard);
        Assert.Contains("<title>Autopilot</title>", page, StringComparison.Ordinal);

        // While it runs, incidents appear on the server and the explain endpoint answers for them.
        var explained = await DemoProcesses.PollAsync(async () =>
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
        var (http2, grpc2) = (ServeProcessTests.FreePort(), ServeProcessTests.FreePort());
        using var serve = new ChildProcess($"serve --http-port {http2} --grpc-port {grpc2} --data-dir {data.Path}");
        var replay = await serve.WaitForLineAsync(l => l.Contains("replaying", StringComparison.Ordinal), TimeSpan.FromMinutes(2));
        Assert.Equal("0", DemoProcesses.ReplayLine().Match(replay).Groups[1].Value);
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http2}/"), Timeout = TimeSpan.FromSeconds(30) };
        var deploy = faults[0].GetProperty("incident");
        var again = await DemoProcesses.PollAsync(async () => await api.GetStringAsync(new Uri($"/api/incidents/{deploy.GetProperty("id").GetString()}/explain", UriKind.Relative)), TimeSpan.FromMinutes(1), serve);
        using var answer = JsonDocument.Parse(again);
        Assert.Equal(deploy.GetProperty("rootCauses")[0].GetProperty("urn").GetString(), answer.RootElement.GetProperty("rootCauses")[0].GetProperty("urn").GetString());
        serve.Signal("TERM");
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromMinutes(1)));
    }
}
