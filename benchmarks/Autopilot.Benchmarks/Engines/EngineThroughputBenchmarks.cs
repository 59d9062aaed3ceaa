using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.State;
using Autopilot.Ingest.Signals;
using Autopilot.Pipeline.Partitioning;
using BenchmarkDotNet.Attributes;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// The engine stage per core: one <see cref="EngineShard"/> (every engine <see cref="EngineCatalog.CreateDefault"/>
/// registers, snapshots to SQLite at the default interval) driven on one thread the way the partition stage
/// drives it: signals in batches of 512 (<c>AUTOPILOT_BENCH_BATCH</c> for another size) handed over as one range (<c>ProcessRange</c>, the engines one after the other
/// over the batch), then the watermark (largest event time minus the allowed lateness), and a log barrier every 64
/// batches at which the shard snapshots once the interval has passed. <c>AUTOPILOT_BENCH_BY_SIGNAL=1</c> hands the same
/// signals over one at a time (<c>Process</c>, every engine per signal), as the shard ran before 2026-12-07. One
/// operation is one signal, so ns/op is ns/signal and 1e9/ns is signals per CPU-second.
/// </summary>
[Config(typeof(ShortJobConfig))]
[MemoryDiagnoser]
public class EngineThroughputBenchmarks
{
    /// <summary>Signals per call of <see cref="AllEngines"/>.</summary>
    public const int SignalsPerPass = Signals;

    private const int Signals = 1 << 16;
    private const int DefaultBatch = 512;
    private const int BarrierEvery = 64;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-bench-engines-" + Guid.NewGuid().ToString("N"));
    private Signal[] _signals = [];
    private SqliteEngineStore? _store;
    private EngineShard? _shard;
    private PartitionContext<Finding>? _context;
    private long _lateness;
    private long _timeOffset;
    private ulong _spanIdOffset;
    private bool _repeatSpanIds;
    private int _batch = DefaultBatch;
    private EngineInput[] _inputs = [];
    private long _lsn;
    private long _findings;

    /// <summary>"all", or the name of the one engine the shard hosts (a breakdown of the cost per engine).</summary>
    [ParamsSource(nameof(EngineNames))]
    public string Engine { get; set; } = "all";

    /// <summary>Hands the signals over one at a time (<c>Process</c>) instead of a batch as one range.</summary>
    public bool BySignal { get; set; }

    public static IEnumerable<string> EngineNames() =>
        Environment.GetEnvironmentVariable("AUTOPILOT_BENCH_ENGINES") is { Length: > 0 } list
            ? list.Split(',')
            : ["all"];

    [GlobalSetup]
    public void Setup()
    {
        var options = new EngineOptions { Shards = 1 };

        // The default log-service cap (2,000 per shard, with a budget of 50,000 templates) keeps the stream's 1,000
        // services; AUTOPILOT_BENCH_LOG_SERVICES=200 (the cap before the template budget) makes the log engine evict a
        // service on almost every line, as earlier figures in RESULTS were measured.
        if (int.TryParse(Environment.GetEnvironmentVariable("AUTOPILOT_BENCH_LOG_SERVICES"), out var logServices))
        {
            options.Anomaly.Logs.MaxServices = logServices;
        }

        _lateness = options.AllowedLateness.Ticks * 100;
        _store = new SqliteEngineStore(Path.Combine(_directory, "engines.db"));
        var engine = Engine;
        var host = new EngineHost(options, _store, engine == "all"
            ? EngineCatalog.CreateDefault
            : (shard, o) => [.. EngineCatalog.CreateDefault(shard, o).Where(e => e.Name == engine)]);
        _shard = new EngineShard(host, 0);
        _context = new PartitionContext<Finding>(0, 1024);
        // AUTOPILOT_BENCH_ATTRIBUTES=1: spans carry an HTTP server span's 12 attributes and metric points 2, as real ones do.
        _signals = EngineSignals.Build(Signals, Environment.GetEnvironmentVariable("AUTOPILOT_BENCH_ATTRIBUTES") == "1");

        // Each pass gives its spans new ids, as a real stream does. The first version of this benchmark repeated the
        // ids in every pass, so from the second pass on every span was a duplicate and dq raised ~1,000 dq.duplicate findings
        // per pass; AUTOPILOT_BENCH_SPAN_IDS=repeat brings that workload back for comparison.
        _repeatSpanIds = Environment.GetEnvironmentVariable("AUTOPILOT_BENCH_SPAN_IDS") == "repeat";
        BySignal |= Environment.GetEnvironmentVariable("AUTOPILOT_BENCH_BY_SIGNAL") == "1";

        // AUTOPILOT_BENCH_BATCH=128: the run a shard of four gets from the pipeline's batches of 512.
        if (int.TryParse(Environment.GetEnvironmentVariable("AUTOPILOT_BENCH_BATCH"), out var batch) && batch > 0)
        {
            _batch = batch;
        }

        _inputs = new EngineInput[_batch];
        Console.WriteLine($"// engines: {string.Join(", ", host.CreateEngines(0).Select(e => e.Name))}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// findings emitted: {_findings}");
        _store?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Signals, Description = "EngineShard, all engines, SQLite snapshots")]
    public long AllEngines()
    {
        var shard = _shard!;
        var context = _context!;
        var offset = _timeOffset;
        var spanIds = _spanIdOffset;
        var batches = 0;
        var size = _batch;
        for (var start = 0; start < _signals.Length; start += size)
        {
            var lsn = ++_lsn;
            var end = Math.Min(start + size, _signals.Length);
            for (var i = start; i < end; i++)
            {
                ref readonly var source = ref _signals[i];
                var signal = source with { TimeUnixNano = source.TimeUnixNano + offset, SpanId = source.SpanId == 0 ? 0 : source.SpanId + spanIds };
                if (BySignal)
                {
                    shard.Process(new EngineInput(lsn, signal), context);
                }
                else
                {
                    _inputs[i - start] = new EngineInput(lsn, signal);
                }
            }

            if (!BySignal)
            {
                var index = 0;
                shard.ProcessRange(_inputs, ref index, end - start, context);
            }

            var watermark = _signals[end - 1].TimeUnixNano + offset - _lateness;
            if (context.AdvanceWatermark(watermark))
            {
                shard.OnWatermark(watermark, context);
            }

            _findings += context.OutputCount;
            context.ClearOutput();
            if (++batches % BarrierEvery == 0)
            {
                shard.Process(new EngineInput(lsn, default, 0), context);
            }
        }

        // The next pass continues where this one ended in event time.
        _timeOffset += _signals.Length * EngineSignals.StepNanos;
        if (!_repeatSpanIds)
        {
            _spanIdOffset += (ulong)_signals.Length;
        }

        return _findings;
    }
}
