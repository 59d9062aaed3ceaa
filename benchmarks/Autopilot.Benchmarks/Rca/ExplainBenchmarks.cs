using Autopilot.Engines.State;
using Autopilot.Rca;
using Autopilot.Rca.Answers;
using Autopilot.Rca.Graph;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace Autopilot.Benchmarks.Rca;

/// <summary>
/// <c>Explain</c> latency with the rules explainer for a 40-finding incident on a 5,000-node / 50,000-edge graph
/// (<see cref="ExplainGraphFixture"/>), findings read from a real SQLite engine store. One invocation per
/// iteration, so the iteration times are the latency distribution (median and P99 columns). Peers in the same
/// run: the same incident with an empty graph (what the graph expansion and the walk cost), and a cached
/// analysis (what a repeated question costs).
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class ExplainBenchmarks
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-bench-rca-" + Guid.NewGuid().ToString("N"));
    private SqliteEngineStore? _store;
    private RcaAnalyzer? _uncached;
    private RcaAnalyzer? _noGraph;
    private RcaAnalyzer? _cached;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteEngineStore(Path.Combine(_directory, "engines.db"));
        var graph = ExplainGraphFixture.Graph();
        var (incident, findings, deploy) = ExplainGraphFixture.Incident(graph);
        graph.AddChange(deploy);
        _store.Commit(findings, [IncidentWrite.Whole(incident)]);
        _uncached = new RcaAnalyzer(_store, graph, new RcaOptions { CacheCapacity = 0 });
        _noGraph = new RcaAnalyzer(_store, new AssetGraph(), new RcaOptions { CacheCapacity = 0 });
        _cached = new RcaAnalyzer(_store, graph, new RcaOptions());

        // A benchmark of a wrong answer is worth nothing: the deployed root must come first.
        var answer = _uncached.ExplainIncidentAsync("inc-bench").GetAwaiter().GetResult()!;
        if (answer.RootCauses[0].Urn != deploy.Urn || answer.Actions[0].Action != ActionType.Rollback)
        {
            throw new InvalidOperationException($"the benchmark incident ranked {answer.RootCauses[0].Urn} first, not {deploy.Urn}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _uncached?.Dispose();
        _noGraph?.Dispose();
        _cached?.Dispose();
        _store?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "Explain, 5k nodes / 50k edges")]
    public Task<RcaAnswer?> Explain() => _uncached!.ExplainIncidentAsync("inc-bench");

    [Benchmark(Description = "Explain, no graph")]
    public Task<RcaAnswer?> ExplainWithoutGraph() => _noGraph!.ExplainIncidentAsync("inc-bench");

    [Benchmark(Description = "Explain, cached analysis")]
    public Task<RcaAnswer?> ExplainCached() => _cached!.ExplainIncidentAsync("inc-bench");

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(10).WithIterationCount(200).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, new P99Column());

            // The machine is shared: building the boilerplate project can take longer than the 2-minute default.
            WithBuildTimeout(TimeSpan.FromMinutes(10));
        }
    }
}
