using System.Diagnostics;
using System.Globalization;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.State;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;
using Autopilot.Pipeline;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// The engine stage as <c>autopilot serve</c> runs it, in-process: requests of 1,000 signals (<see cref="EngineSignals"/>,
/// with attributes) as <see cref="IngestBatch"/>es through <see cref="EngineHost.CreateSink"/> (flatten, async boundary,
/// partition by URN into the default 4 shards or as many as given, every default engine, SQLite snapshots, the incident
/// correlator), in a pipeline of the given batch size (buffers of 4 batches, at least 4,096 elements; serve runs at
/// 2,048). Prints the process CPU time (every thread: pipeline tasks, GC) per signal over the measured passes. A warm-up run first, then each measured round in a graph of its own whose shards restore from the
/// previous one's snapshots, as after a restart. Usage:
/// <c>engine-stage-cpu [batch size[,batch size…]] [warm-up passes] [measured passes per round] [shards] [rounds]</c>; with
/// several sizes each has its own store and they take turns round by round (which goes first alternates), so they see
/// the same moments of a noisy host; with two, the median of the rounds' ratios is printed too. <c>--ranker</c> gives the
/// correlator the RCA ranker as <c>serve</c> does (over an empty asset graph: no graph builder runs here), which ranks
/// the suspected roots of every incident a batch of findings changed. <c>--prebuilt</c> copies a round's passes before its
/// CPU clock starts (memory: about 6 MB per pass), so the figure is the stage's alone: without it the copy runs inside
/// the round as the pipeline pulls it (about 1 ms a pass, and the large-object heap's churn of a 6 MB array per pass).
/// <c>--fresh-attributes</c> gives every signal of every pass attribute objects of its own (the same keys and value
/// strings, a new list and value array, allocated in stream order), as the wire reader decodes them, instead of sharing
/// the stream's (with <c>--prebuilt</c> they too are made before the clock starts).
/// Each round also prints (to standard error) its collections, GC pause time and bytes allocated per signal (the round's
/// restore and final snapshot included), and the heap after a full collection once its clock has stopped (the stream,
/// the round's passes and what the engines and the correlator keep); <c>--allocations</c> adds the allocated types (the runtime's allocation-tick samples).
/// A round's figure includes what a start costs: the shards' and the correlator's restore from the store (which grows
/// with the open incidents) and the final snapshot. <c>--steady</c> also runs, before each round, the same graph over no
/// signals (the restore alone: with nothing entered it writes no snapshot) and prints the round's CPU and bytes allocated
/// less that run's, per signal: the stage in steady state (its final snapshot still in it).
/// </summary>
internal static class EngineStageCpu
{
    private const int SignalsPerRequest = 1_000;

    public static async Task RunAsync(string[] args)
    {
        var withRanker = args.Contains("--ranker");
        var prebuilt = args.Contains("--prebuilt");
        var fresh = args.Contains("--fresh-attributes");
        var steady = args.Contains("--steady");
        using var allocations = args.Contains("--allocations") ? new AllocationSampler { Paused = true } : null;
        args = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
        var batchSizes = (args.Length > 0 ? args[0] : "512").Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray();
        var warmup = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var passes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        var shards = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : new EngineOptions().Shards;
        var rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
        var stream = EngineSignals.Build(1 << 16, attributes: true);
        var directory = Path.Combine(Path.GetTempPath(), "autopilot-bench-stage-" + Guid.NewGuid().ToString("N"));
        var stores = new List<SqliteEngineStore>();
        try
        {
            // One store and stream position per batch size; each warms up, then the sizes take turns, round by round.
            var runs = batchSizes.Select((size, i) => (Size: size, Store: new SqliteEngineStore(Path.Combine(directory, $"engines-{i}.db")), Next: new Cursor())).ToArray();
            stores.AddRange(runs.Select(r => r.Store));
            var options = new EngineOptions { Shards = shards };
            foreach (var run in runs)
            {
                await RunGraphAsync(options, run.Store, Requests(stream, warmup, run.Next, fresh), run.Size, withRanker);
            }

            var cpu = new double[runs.Length][];
            var steadyCpu = new double[runs.Length][];
            var incidents = new long[runs.Length];
            for (var r = 0; r < runs.Length; r++)
            {
                cpu[r] = new double[rounds];
                steadyCpu[r] = new double[rounds];
            }

            long signals = (long)passes * stream.Length;
            for (var round = 0; round < rounds; round++)
            {
                for (var k = 0; k < runs.Length; k++)
                {
                    var r = (round % 2 == 0) ? k : runs.Length - 1 - k; // which goes first alternates
                    var requests = Requests(stream, passes, runs[r].Next, fresh);
                    if (prebuilt)
                    {
                        requests = requests.ToList();
                    }

                    var start = TimeSpan.Zero;
                    var startBytes = 0L;
                    if (steady)
                    {
                        GC.Collect();
                        var empty = Process.GetCurrentProcess().TotalProcessorTime;
                        var emptyBytes = GC.GetTotalAllocatedBytes();
                        await RunGraphAsync(options, runs[r].Store, [], runs[r].Size, withRanker);
                        start = Process.GetCurrentProcess().TotalProcessorTime - empty;
                        startBytes = GC.GetTotalAllocatedBytes() - emptyBytes;
                    }

                    GC.Collect();
                    var process = Process.GetCurrentProcess();
                    var before = process.TotalProcessorTime;
                    int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
                    var a0 = GC.GetTotalAllocatedBytes();
                    var paused0 = GC.GetTotalPauseDuration();
                    allocations?.Paused = false;
                    var (open, graph) = await RunGraphAsync(options, runs[r].Store, requests, runs[r].Size, withRanker);
                    incidents[r] = open;
                    allocations?.Paused = true;
                    process.Refresh();
                    cpu[r][round] = (process.TotalProcessorTime - before).Ticks * 100.0 / signals;
                    steadyCpu[r][round] = (process.TotalProcessorTime - before - start).Ticks * 100.0 / signals;
                    var startFigure = steady
                        ? string.Create(CultureInfo.InvariantCulture,
                            $" ({steadyCpu[r][round]:0} and {(GC.GetTotalAllocatedBytes() - a0 - startBytes) / (double)signals:0.0} B/signal less the restore alone: {start.TotalMilliseconds:0} ms CPU, {startBytes / 1e6:0} MB allocated)")
                        : string.Empty;
                    var figures = string.Create(CultureInfo.InvariantCulture,
                        $"round {round + 1}, batch size {runs[r].Size}: {cpu[r][round]:0} ns/signal{startFigure}, collections gen0 {GC.CollectionCount(0) - g0} gen1 {GC.CollectionCount(1) - g1} gen2 {GC.CollectionCount(2) - g2}, allocated {(GC.GetTotalAllocatedBytes() - a0) / (double)signals:0.0} B/signal, {GcPauses(GC.GetTotalPauseDuration() - paused0, signals)}");

                    // Only now, so its own full collection is in none of the round's figures above.
                    var heap = GC.GetTotalMemory(forceFullCollection: true) / 1e6; // with the graph and its shards alive
                    GC.KeepAlive(graph);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{figures}, heap after a full collection {heap:0} MB"));
                }
            }

            Console.WriteLine("batch size\tshards\tprocess CPU ns/signal (median of rounds)\tsignals/CPU-s\tsignals per round\trounds (ns/signal)\topen incidents");
            for (var r = 0; r < runs.Length; r++)
            {
                var median = EngineCpuHarness.Median(cpu[r]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{runs[r].Size}\t{options.Shards}\t{median:0.0}\t{1e9 / median:N0}\t{signals}\t{string.Join(' ', cpu[r].Select(c => c.ToString("0", CultureInfo.InvariantCulture)))}\t{incidents[r]}"));
            }

            if (steady)
            {
                for (var r = 0; r < runs.Length; r++)
                {
                    var median = EngineCpuHarness.Median(steadyCpu[r]);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"steady state (each round less its restore), batch size {runs[r].Size}: median {median:0.0} ns/signal, {1e9 / median:N0} signals/CPU-s, rounds {string.Join(' ', steadyCpu[r].Select(c => c.ToString("0", CultureInfo.InvariantCulture)))}"));
                }
            }

            allocations?.Print();
            if (runs.Length == 2)
            {
                var ratios = cpu[0].Zip(cpu[1], (a, b) => a / b).ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median ratio {runs[0].Size} / {runs[1].Size}: {EngineCpuHarness.Median(ratios):0.000}"));
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string GcPauses(TimeSpan paused, long signals) =>
        string.Create(CultureInfo.InvariantCulture, $"GC pauses {paused.TotalMilliseconds:0} ms ({paused.Ticks * 100.0 / signals:0} ns/signal)");

    /// <summary>Runs one graph to its end; returns its open incidents and the graph (host and handle, which hold the shards' state).</summary>
    private static async Task<(long OpenIncidents, object Graph)> RunGraphAsync(EngineOptions options, SqliteEngineStore store, IEnumerable<IngestBatch> requests, int batchSize, bool withRanker)
    {
        var ranker = withRanker ? new Autopilot.Rca.RcaAnalyzer(store, new Autopilot.Rca.Graph.AssetGraph(), new Autopilot.Rca.RcaOptions()).SuspectRanker : null;
        var host = new EngineHost(options, store, EngineCatalog.CreateDefault, ranker: ranker);
        var handle = Source.From(requests).To(host.CreateSink()).Run(new PipelineSettings { Name = "bench", MaxBatchSize = batchSize, DefaultBufferCapacity = Math.Max(4096, 4 * batchSize) });
        await handle.Completion;
        return (host.Correlator.OpenIncidents, (host, handle));
    }

    /// <summary>
    /// Passes of the stream as requests, made as the pipeline pulls them: each pass later in event time and with new span
    /// ids, its signals a copy of the stream's (the attribute objects shared, as in <see cref="EngineThroughputBenchmarks"/>,
    /// unless <paramref name="freshAttributes"/>),
    /// so the copy (about 1 ms a pass) is in the figure and memory stays at a few passes, unless the round is copied
    /// before its clock starts (<c>--prebuilt</c>).
    /// </summary>
    private static IEnumerable<IngestBatch> Requests(Signal[] stream, int passes, Cursor next, bool freshAttributes)
    {
        for (var p = 0; p < passes; p++, next.Pass++)
        {
            var offset = next.Pass * stream.Length * EngineSignals.StepNanos;
            var ids = (ulong)(next.Pass * stream.Length);
            var shifted = new Signal[stream.Length];
            for (var i = 0; i < stream.Length; i++)
            {
                ref readonly var s = ref stream[i];
                shifted[i] = s with
                {
                    TimeUnixNano = s.TimeUnixNano + offset,
                    SpanId = s.SpanId == 0 ? 0 : s.SpanId + ids,
                    Attributes = freshAttributes && s.Attributes.Count > 0 ? s.Attributes.WithValues(s.Attributes.CopyValues()) : s.Attributes,
                };
            }

            for (var start = 0; start < shifted.Length; start += SignalsPerRequest)
            {
                var count = Math.Min(SignalsPerRequest, shifted.Length - start);
                yield return new IngestBatch(++next.Lsn, IngestSignal.Traces, new ArraySegment<Signal>(shifted, start, count));
            }
        }
    }

    /// <summary>Where the next pass starts, across the warm-up and the measured run.</summary>
    private sealed class Cursor
    {
        public long Pass { get; set; }

        public long Lsn { get; set; }
    }
}
