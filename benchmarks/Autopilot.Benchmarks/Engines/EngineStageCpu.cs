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
/// partition by URN into the default 4 shards or as many as given, every default engine, SQLite snapshots, the incident correlator), in a
/// pipeline of the given batch size. Prints the process CPU time (every thread: pipeline tasks, GC) per signal over the
/// measured passes. A warm-up run first, then the measured run in a second graph whose shards restore from the first
/// one's snapshots, as after a restart. Usage: <c>engine-stage-cpu [batch size] [warm-up passes] [measured passes] [shards]</c>.
/// </summary>
internal static class EngineStageCpu
{
    private const int SignalsPerRequest = 1_000;

    public static async Task RunAsync(string[] args)
    {
        var batchSize = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 512;
        var warmup = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var passes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        var shards = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : new EngineOptions().Shards;
        var stream = EngineSignals.Build(1 << 16, attributes: true);
        var directory = Path.Combine(Path.GetTempPath(), "autopilot-bench-stage-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = new SqliteEngineStore(Path.Combine(directory, "engines.db"));
            var options = new EngineOptions { Shards = shards };
            var next = new Cursor();
            await RunGraphAsync(options, store, Requests(stream, warmup, next), batchSize);
            long signals = (long)passes * stream.Length;
            GC.Collect();
            var process = Process.GetCurrentProcess();
            var before = process.TotalProcessorTime;
            var incidents = await RunGraphAsync(options, store, Requests(stream, passes, next), batchSize);
            process.Refresh();
            var cpu = (process.TotalProcessorTime - before).Ticks * 100.0;
            Console.WriteLine("batch size\tshards\tprocess CPU ns/signal\tsignals/CPU-s\tsignals\topen incidents");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{batchSize}\t{options.Shards}\t{cpu / signals:0.0}\t{1e9 / (cpu / signals):N0}\t{signals}\t{incidents}"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<long> RunGraphAsync(EngineOptions options, SqliteEngineStore store, IEnumerable<IngestBatch> requests, int batchSize)
    {
        var host = new EngineHost(options, store, EngineCatalog.CreateDefault);
        var handle = Source.From(requests).To(host.CreateSink()).Run(new PipelineSettings { Name = "bench", MaxBatchSize = batchSize });
        await handle.Completion;
        return host.Correlator.OpenIncidents;
    }

    /// <summary>
    /// Passes of the stream as requests, made as the pipeline pulls them: each pass later in event time and with new span
    /// ids, its signals a copy of the stream's (the attribute objects shared, as in <see cref="EngineThroughputBenchmarks"/>),
    /// so the copy (about 1 ms a pass) is in the figure and memory stays at a few passes.
    /// </summary>
    private static IEnumerable<IngestBatch> Requests(Signal[] stream, int passes, Cursor next)
    {
        for (var p = 0; p < passes; p++, next.Pass++)
        {
            var offset = next.Pass * stream.Length * EngineSignals.StepNanos;
            var ids = (ulong)(next.Pass * stream.Length);
            var shifted = new Signal[stream.Length];
            for (var i = 0; i < stream.Length; i++)
            {
                ref readonly var s = ref stream[i];
                shifted[i] = s with { TimeUnixNano = s.TimeUnixNano + offset, SpanId = s.SpanId == 0 ? 0 : s.SpanId + ids };
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
