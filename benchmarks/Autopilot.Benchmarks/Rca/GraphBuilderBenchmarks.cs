using System.Runtime.InteropServices;
using Autopilot.Ingest.Inventory;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;
using Autopilot.Rca.Graph;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Autopilot.Benchmarks.Rca;

/// <summary>
/// The graph builder's throughput on one thread, the way its pipeline stage drives it: requests of decoded spans
/// (<see cref="GraphSignals"/>: call pairs, database and Kafka spans) applied in order with increasing log positions,
/// each followed by the publish to the in-memory graph, and a commit to SQLite whenever the default 5 s flush
/// interval has passed. The peer, measured in the same run, is the asset inventory's per-request aggregation
/// (<see cref="AssetDelta"/>), the other stage every signal passes. One operation is one signal.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class GraphBuilderBenchmarks
{
    private const int Traces = 6_000;

    // 8 signals per trace (7 spans and the database record), 12 in the one trace of four that also publishes and consumes.
    private const int Signals = (Traces / 4 * 12) + (Traces * 3 / 4 * 8);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-bench-graph-" + Guid.NewGuid().ToString("N"));
    private List<Signal>[] _requests = [];
    private List<Signal>[] _shifted = [];
    private int _signals;
    private SqliteGraphStore? _store;
    private Autopilot.Rca.Graph.GraphBuilder? _builder;
    private readonly AssetDelta _delta = new();
    private long _timeOffset;
    private long _lsn;

    [GlobalSetup]
    public void Setup()
    {
        _requests = GraphSignals.Build(Traces, seed: 20261122);
        _shifted = [.. _requests.Select(r => new List<Signal>(r))];
        _signals = _requests.Sum(r => r.Count);
        if (_signals != Signals)
        {
            throw new InvalidOperationException($"the generator made {_signals} signals, the benchmark divides by {Signals}");
        }

        _store = new SqliteGraphStore(Path.Combine(_directory, "graph.db"));
        _builder = Autopilot.Rca.Graph.GraphBuilder.Open(new GraphBuilderOptions(), _store);
        Console.WriteLine($"// {_signals} signals in {_requests.Length} requests per pass");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_builder is not null)
        {
            _builder.Flush();
            Console.WriteLine($"// graph: {_builder.Graph.NodeCount} nodes, {_builder.Graph.EdgeCount} edges, {_builder.PendingSpans} spans waiting");
        }

        _store?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup]
    public void ShiftTimes()
    {
        // Each pass continues where the last ended in event time; the copy is made here, outside the measurement.
        var offset = _timeOffset;
        for (var r = 0; r < _requests.Length; r++)
        {
            var source = CollectionsMarshal.AsSpan(_requests[r]);
            var target = CollectionsMarshal.AsSpan(_shifted[r]);
            for (var i = 0; i < source.Length; i++)
            {
                target[i] = source[i] with { TimeUnixNano = source[i].TimeUnixNano + offset };
            }
        }

        _timeOffset += Traces * GraphSignals.StepNanos;
    }

    [Benchmark(OperationsPerInvoke = Signals, Description = "GraphBuilder (pairing, edges, publish, SQLite commits)")]
    public int Builder()
    {
        var builder = _builder!;
        foreach (var request in _shifted)
        {
            builder.Apply(new IngestBatch(++_lsn, IngestSignal.Traces, request));
        }

        return builder.Graph.EdgeCount;
    }

    [Benchmark(OperationsPerInvoke = Signals, Baseline = true, Description = "Asset inventory delta (peer)")]
    public int InventoryDelta()
    {
        var count = 0;
        foreach (var request in _shifted)
        {
            _delta.Clear();
            foreach (ref readonly var signal in CollectionsMarshal.AsSpan(request))
            {
                _delta.Add(in signal, 0);
            }

            _delta.MarkLsn(++_lsn);
            count += _delta.Count;
        }

        return count;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // IterationSetup needs one invocation per iteration; each invocation is a full pass (~70k signals).
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithInvocationCount(1).WithUnrollFactor(1).WithId("Pass"));
            AddColumn(StatisticColumn.Median);
            AddColumn(new ElementsPerSecondColumn());
            AddColumn(new MedianRatioColumn(nameof(InventoryDelta), "vs inventory delta"));

            // On this shared 2-core box the generated project's build can take longer than the default 2 minutes.
            WithBuildTimeout(TimeSpan.FromMinutes(15));
        }
    }
}
