using System.Text.Json;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Host.Hosting;
using Autopilot.Host.Tests.Hosting;
using Autopilot.Host.Tests.Ingest;

namespace Autopilot.Host.Tests.Engines;

/// <summary>
/// A restarted server carries on from its engines' snapshots instead of re-learning, for every engine store
/// (one derived class each). The error-rate window used here needs 20 spans; half of them arrive before the
/// restart and half after, so the window's finding appears only if its state survived.
/// </summary>
public abstract class EngineRestartTests
{
    private const long Minute = 60_000_000_000;

    [Fact]
    public async Task Restart_AfterGracefulStop_ResumesLearnedStateWithoutDuplicates()
    {
        using var dataDir = new TempDirectory();
        var t0 = SpanFeed.BaseTime();
        string findingA;
        long lastLsn;

        await using (var first = await TestServer.StartAsync(Configure, dataDir.Path))
        {
            // Window A (t0) fails 20 of 30 spans; 12 failures in window B (t0 + 2 min) move the watermark past A.
            await SpanFeed.PostAsync(first.Http, t0, spans: 30, errors: 20, seed: 1);
            await SpanFeed.PostAsync(first.Http, t0 + (2 * Minute), spans: 12, errors: 12, seed: 2);
            var store = first.Server.Engines.Store;
            await SpanFeed.WaitUntilAsync(() => Task.FromResult(Findings(store).Count == 1 && store.QueryIncidents(new IncidentQuery()).Count == 1), "the finding of window A and its incident");
            findingA = Json(Findings(store)[0]);
            lastLsn = first.Server.Engines.MaxLsnEntered;
            Assert.True(lastLsn >= 0, "no request reached the engines");
        }

        using (var store = OpenStore(dataDir.Path))
        {
            var snapshots = Enumerable.Range(0, Shards).Select(store.LoadSnapshot).ToArray();
            Assert.All(snapshots, s => Assert.True(s is not null && s.Lsn == lastLsn, $"shard snapshot {s?.Shard} covers {s?.Lsn}, expected {lastLsn} after a graceful stop"));
        }

        await using var second = await TestServer.StartAsync(Configure, dataDir.Path);
        Assert.True(second.Server.Engines.DurableLsn >= lastLsn, $"restored shards cover {second.Server.Engines.DurableLsn}, expected {lastLsn}");
        var restarted = second.Server.Engines.Store;
        Assert.Equal([findingA], Findings(restarted).Select(Json));
        var incident = Assert.Single(restarted.QueryIncidents(new IncidentQuery()));

        // Window B gets 12 more failures (24 in all, 12 of them from before the restart); a later span closes it.
        await SpanFeed.PostAsync(second.Http, t0 + (2 * Minute) + (30 * 1_000_000_000L), spans: 12, errors: 12, seed: 3);
        await SpanFeed.PostAsync(second.Http, t0 + (5 * Minute), spans: 1, errors: 0, seed: 4);
        await SpanFeed.WaitUntilAsync(() => Task.FromResult(Findings(restarted).Count == 2), "the finding of window B, which needs the spans from before the restart");

        var all = Findings(restarted);
        Assert.Equal(findingA, Json(all[0]));
        Assert.Equal("24/24 spans failed", all[1].Evidence[0].Reference);
        Assert.Equal(incident.Id, Assert.Single(restarted.QueryIncidents(new IncidentQuery())).Id);
        Assert.Contains(all[1].Id, Assert.Single(restarted.QueryIncidents(new IncidentQuery())).FindingIds);
    }

    [Fact]
    public async Task Restart_AfterKillDashNine_ReplaysWithoutLosingOrDuplicatingFindings()
    {
        using var dataDir = new TempDirectory();
        var t0 = SpanFeed.BaseTime();
        string findingA;

        var (grpcPort, httpPort) = (ServeProcessTests.FreePort(), ServeProcessTests.FreePort());
        using (var process = AutopilotProcess.Start($"serve --grpc-port {grpcPort} --http-port {httpPort} --data-dir {dataDir.Path} --shards {Shards}{ServeArguments}"))
        {
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
                await AutopilotProcess.PollAsync(() => http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), TimeSpan.FromSeconds(30));
                await SpanFeed.PostAsync(http, t0, spans: 30, errors: 20, seed: 1);
                await SpanFeed.PostAsync(http, t0 + (2 * Minute), spans: 12, errors: 12, seed: 2);
                string? seen = null;
                await SpanFeed.WaitUntilAsync(async () =>
                {
                    var findings = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/findings?engine=dq.error_rate&urn=" + SpanFeed.Urn, UriKind.Relative))).RootElement.GetProperty("findings");
                    seen = findings.GetArrayLength() == 1 ? findings[0].GetRawText() : null;
                    return seen is not null;
                }, "the finding of window A over the API");
                findingA = Json(JsonSerializer.Deserialize<Finding>(seen!, EngineJson.Options)!);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        // The requests are in the log; whatever the snapshots lack is replayed through the same engines.
        await using var server = await TestServer.StartAsync(Configure, dataDir.Path);
        var store = server.Server.Engines.Store;
        await SpanFeed.PostAsync(server.Http, t0 + (2 * Minute) + (30 * 1_000_000_000L), spans: 12, errors: 12, seed: 3);
        await SpanFeed.PostAsync(server.Http, t0 + (5 * Minute), spans: 1, errors: 0, seed: 4);
        await SpanFeed.WaitUntilAsync(() => Task.FromResult(Findings(store).Count >= 2), "the finding of window B after replay");

        var all = Findings(store);
        Assert.Equal(2, all.Count);
        Assert.Equal(findingA, Json(all[0]));
        Assert.Equal("24/24 spans failed", all[1].Evidence[0].Reference);
        Assert.Single(store.QueryIncidents(new IncidentQuery()));
    }

    protected virtual int Shards => 2;

    /// <summary>Extra <c>autopilot serve</c> arguments selecting the store.</summary>
    protected abstract string ServeArguments { get; }

    /// <summary>Selects the store on in-process servers.</summary>
    protected abstract void ConfigureStore(ServerOptions options);

    /// <summary>Opens the store the server used, while no server runs.</summary>
    protected abstract IEngineStore OpenStore(string dataDirectory);

    private void Configure(ServerOptions options)
    {
        options.Engines.Shards = Shards;
        ConfigureStore(options);
    }

    // Only the error-rate engine's: the other engines may also find things in this traffic (latency, volume).
    private static List<Finding> Findings(IEngineStore store) => [.. store.QueryFindings(new FindingQuery(Urn: SpanFeed.Urn, Engine: "dq.error_rate"))];

    private static string Json(Finding finding) => JsonSerializer.Serialize(finding, EngineJson.Options);
}
