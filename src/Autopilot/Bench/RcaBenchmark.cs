using System.Diagnostics;
using Autopilot.Host.Hosting;
using Autopilot.Simulator;
using Autopilot.Simulator.Accuracy;
using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Topology;

namespace Autopilot.Host.Bench;

/// <summary>
/// The RCA accuracy suite (<c>autopilot bench rca</c>): for each seeded run, a fresh in-process server on free ports
/// and a temporary data directory, the simulated shop with one injected fault (<see cref="ScenarioRunner"/>), a drain
/// that closes the engines' last windows, then the fault incident's ranked roots scored against the ground truth
/// (<see cref="RcaScorer"/>).
/// </summary>
internal static class RcaBenchmark
{
    public static async Task<IReadOnlyList<RcaRunScore>> RunAsync(RcaBenchmarkOptions options, IProgress<RcaRunScore>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var topology = ShopTopology.Default();
        IRootRanking ranking = options.Ranking == "suspected" ? new SuspectedRootsRanking() : new ExplainRanking();
        var scores = new List<RcaRunScore>(options.Runs);
        for (var i = 0; i < options.Runs; i++)
        {
            var kind = options.Kinds[i % options.Kinds.Count];
            var score = await RunOneAsync(i + 1, kind, options.Seed + i, topology, ranking, options, cancellationToken).ConfigureAwait(false);
            scores.Add(score);
            progress?.Report(score);
        }

        return scores;
    }

    internal static async Task<RcaRunScore> RunOneAsync(int run, FaultKind kind, int seed, ShopTopology topology, IRootRanking ranking, RcaBenchmarkOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var scenario = Scenario.Create(kind, seed, topology, options.Environment, now: options.Now);
        var directory = Path.Combine(Path.GetTempPath(), "autopilot-bench-rca-" + Guid.NewGuid().ToString("N"));
        try
        {
            var server = await InProcessServer.StartAsync(directory, Configure, cancellationToken).ConfigureAwait(false);
            await using (server.ConfigureAwait(false))
            {
                var simulator = new SimulatorOptions { Endpoint = server.HttpEndpoint, Environment = options.Environment };
                var result = await ScenarioRunner.RunAsync(scenario, simulator, topology, null, cancellationToken).ConfigureAwait(false);
                await server.DrainAsync().ConfigureAwait(false);
                var score = await RcaScorer.ScoreAsync(server.Api, result, ranking, run, Stopwatch.GetElapsedTime(started), cancellationToken).ConfigureAwait(false);
                if (options.DetailDirectory is { } detail)
                {
                    await RcaRunDetail.WriteAsync(server.Api, scenario, score, detail, cancellationToken).ConfigureAwait(false);
                }

                return score;
            }
        }
        catch (Exception e) when (e is SimulationException or HttpRequestException or IOException or FormatException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new RcaRunScore(run, seed, kind, scenario.Fault.Target, scenario.Fault.RootUrn, null, [], ranking.Name, null, 0, 0, false, 0, Stopwatch.GetElapsedTime(started), e.Message);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>The server as <c>serve</c> runs it (default engines and thresholds), except for what a benchmark run needs.</summary>
    internal static void Configure(ServerOptions options)
    {
        // Durability is not what is measured, and an fsync per export would dominate the run time.
        options.Ingest.WalFsync = false;

        // The drain at the end closes the last windows, as replay does. Scenarios end on a 5-minute boundary, so one
        // minute past the last event closes every window; replay's 5 minutes would also age every busy table and
        // topic past the 5-minute freshness floor and report them stale.
        options.Engines.FlushOnComplete = true;
        options.Engines.FinalWatermarkSlack = TimeSpan.FromMinutes(1);
        options.ShutdownTimeout = TimeSpan.FromMinutes(5);
    }
}
