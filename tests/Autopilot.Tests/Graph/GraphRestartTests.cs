using Autopilot.Host.Hosting;
using Autopilot.Host.Tests.Engines;
using Autopilot.Host.Tests.Hosting;
using Autopilot.Host.Tests.Ingest;

namespace Autopilot.Host.Tests.Graph;

/// <summary>
/// The asset graph survives a restart without counting anything twice, for every graph store (one derived class
/// each): after a graceful stop it comes back from its store alone; after <c>kill -9</c> the store covers part of
/// the traffic and the write-ahead log replays the rest, each request exactly once.
/// </summary>
public abstract class GraphRestartTests
{
    private static readonly long Minute = 60_000_000_000;

    [Fact]
    public async Task Restart_AfterGracefulStop_GraphComesBackWithTheSameCounts()
    {
        using var dataDir = new TempDirectory();
        var t0 = SpanFeed.BaseTime();
        long lastLsn;
        await using (var first = await TestServer.StartAsync(Configure, dataDir.Path))
        {
            await GraphApi.PostPairsAsync(first.Http, t0, pairs: 12, seed: 1);
            await GraphApi.PostPairsAsync(first.Http, t0 + Minute, pairs: 8, seed: 2);
            await SpanFeed.WaitUntilAsync(async () => await GraphApi.CallsAsync(first.Http) == 20, "20 calls before the stop");
            lastLsn = first.Server.Runtime.GraphBuilder.AppliedLsn;
        }

        // A graceful stop commits the graph up to the last request, so nothing needs replaying into it.
        await using var second = await TestServer.StartAsync(Configure, dataDir.Path);
        Assert.Equal(lastLsn, second.Server.Runtime.GraphBuilder.DurableLsn);
        Assert.Equal(20, await GraphApi.CallsAsync(second.Http));

        await GraphApi.PostPairsAsync(second.Http, t0 + (2 * Minute), pairs: 5, seed: 3);
        await WaitSettledAsync(second, 25);
        Assert.Equal(25, await GraphApi.CallsAsync(second.Http));
    }

    [Fact]
    public async Task Restart_AfterKillDashNine_ReplaysTheLogWithoutCountingTwice()
    {
        using var dataDir = new TempDirectory();
        var t0 = SpanFeed.BaseTime();
        var (grpcPort, httpPort) = (ServeProcessTests.FreePort(), ServeProcessTests.FreePort());
        using (var process = AutopilotProcess.Start($"serve --grpc-port {grpcPort} --http-port {httpPort} --data-dir {dataDir.Path}{ServeArguments}"))
        {
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
                await AutopilotProcess.PollAsync(() => http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), TimeSpan.FromSeconds(30));
                await GraphApi.PostPairsAsync(http, t0, pairs: 10, seed: 1);

                // The first requests reach the graph store (it commits every 5 s); the later ones only the log.
                await SpanFeed.WaitUntilAsync(async () => (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Contains("autopilot_graph_flushes_total{outcome=\"ok\"}", StringComparison.Ordinal), "a graph commit");
                await GraphApi.PostPairsAsync(http, t0 + Minute, pairs: 7, seed: 2);
                await GraphApi.PostPairsAsync(http, t0 + (2 * Minute), pairs: 3, seed: 3);
                await SpanFeed.WaitUntilAsync(async () => await GraphApi.CallsAsync(http) == 20, "20 calls before the kill");
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        await using var server = await TestServer.StartAsync(Configure, dataDir.Path);
        await WaitSettledAsync(server, 20);
        Assert.Equal(20, await GraphApi.CallsAsync(server.Http));

        await GraphApi.PostPairsAsync(server.Http, t0 + (3 * Minute), pairs: 4, seed: 4);
        await WaitSettledAsync(server, 24);
        Assert.Equal(24, await GraphApi.CallsAsync(server.Http));
    }

    /// <summary>Extra <c>autopilot serve</c> arguments selecting the store.</summary>
    protected abstract string ServeArguments { get; }

    /// <summary>Selects the store on in-process servers.</summary>
    protected abstract void ConfigureStore(ServerOptions options);

    private void Configure(ServerOptions options) => ConfigureStore(options);

    /// <summary>
    /// Waits until the graph shows at least <paramref name="calls"/> and has taken in every request the engines
    /// have (both sit behind the same broadcast), so a count read afterwards is final, not a moment in a replay.
    /// </summary>
    private static async Task WaitSettledAsync(TestServer server, long calls)
    {
        var runtime = server.Server.Runtime;
        await SpanFeed.WaitUntilAsync(
            async () => await GraphApi.CallsAsync(server.Http) >= calls && runtime.Ingest.QueuedRequests == 0 && runtime.GraphBuilder.AppliedLsn >= runtime.Engines.MaxLsnEntered,
            $"{calls} calls with the graph caught up");
    }
}
