using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Autopilot.Benchmarks.Engines;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Wal;
using Autopilot.LoadGen;

namespace Autopilot.Benchmarks.Ingest;

/// <summary>
/// Spans per CPU-second of the path issue 3 names, in process and without the network: a request's body is copied in
/// (as a receiver reads it), decoded, normalized with URNs resolved, redacted with the built-in rules (both through
/// <see cref="SignalDecoder"/>, as ingest runs them), and appended to a real write-ahead log with fsync
/// on and group commit, by <c>--workers</c> concurrent requests (the server decodes at most 8 at once here). CPU is the
/// whole process's (workers, the log's writer thread, GC), read from the OS, so other people's load on the machine
/// changes it far less than it changes wall time. Old (Google.Protobuf + normalizer, body copied twice, log copies it
/// again) and new (span-based reader, pooled body the log writes from) alternate in rounds; the median round counts.
/// Also decode + normalize alone on one thread, for a per-span CPU figure next to BenchmarkDotNet's wall time.
/// </summary>
/// <remarks>
/// Run: <c>DOTNET_gcServer=1 dotnet run -c Release --project benchmarks/Autopilot.Benchmarks -- ingest-cpu</c> (the server runs
/// Server GC). Options: <c>--seconds 10 --rounds 3 --workers 8 --only N --no-redaction --secrets --alloc</c> (just the N-th variant, e.g. under perf;
/// <c>--secrets</c>: one span per request carries an Authorization header, so every request is logged as its redacted signals;
/// <c>--alloc</c> counts the runtime's allocation-tick events by type over the measured rounds of each variant), <c>--requests N</c>
/// (a fixed number of requests per round instead of a duration, e.g. under <c>perf stat -e instructions</c>).
/// </remarks>
internal static class IngestPathCpu
{
    private const int SpansPerRequest = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        var workers = Option(args, "--workers", 8);
        var rounds = Option(args, "--rounds", 3);
        var only = Option(args, "--only", 0);
        var requests = Option(args, "--requests", 0);
        var sampleAllocations = args.Contains("--alloc");

        // --no-redaction: the same paths with redaction off, to show what the built-in rules cost.
        var redactor = args.Contains("--no-redaction") ? Redactor.None : Redactor.Default;
        var messages = TracePayloads.Build(16, SpansPerRequest, seed: 42).Select(p => p.GrpcFrame[5..]).ToArray();
        if (args.Contains("--secrets"))
        {
            // --secrets: one span per request carries an Authorization header (the secret-keys rule replaces its value), so
            // every request is logged as its re-encoded signals instead of its body: the cost of a stream with secrets in it.
            messages = messages.Select(WithSecret).ToArray();
        }

        var directory = Path.Combine(Path.GetTempPath(), "autopilot-ingest-cpu-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine($"# Ingest path CPU: {messages.Length} requests of {SpansPerRequest} spans ({messages.Average(m => m.Length) / SpansPerRequest:F0} B/span), " +
            $"{seconds} s per variant and round, {rounds} rounds, {workers} workers, GC {(GCSettings.IsServerGC ? "Server" : "Workstation")}" +
            $"{(GCSettings.LatencyMode == GCLatencyMode.Batch ? string.Empty : " concurrent")}, {Environment.ProcessorCount} cores, " +
            $"redaction {(redactor.Enabled ? "on (built-in rules)" : "off")}");
        Console.WriteLine($"# WAL in {directory}, fsync on; load before: {File.ReadAllText("/proc/loadavg").Trim()}");

        // A request with any signal redaction changed is logged as its re-encoded signals, not its body: say how many are.
        var redactedRequests = 0;
        var redactedSignals = 0;
        var probe = new SignalDecoder(new IngestOptions(), redactor, useWireReader: true);
        foreach (var message in messages)
        {
            var decoded = new DecodedRequest();
            probe.Decode(IngestSignal.Traces, PayloadFormat.Protobuf, message, decoded);
            redactedRequests += decoded.RedactedSignals > 0 ? 1 : 0;
            redactedSignals += decoded.RedactedSignals;
        }

        Console.WriteLine($"# {redactedRequests} of {messages.Length} requests have signals redaction changed ({redactedSignals} signals in all): the log stores those as signals");
        try
        {
            var variants = new Variant[]
            {
                new("decode + normalize + URN + redaction, previous (1 thread)", 1, false, DecodeOld),
                new("decode + normalize + URN + redaction, span-based reader (1 thread)", 1, false, DecodeNew),
                new($"+ body copy + WAL append with fsync, previous ({workers} workers)", workers, true, LogOld),
                new($"+ body in pooled buffer + WAL append with fsync, span-based ({workers} workers)", workers, true, LogNew),
            };
            if (only > 0)
            {
                // One variant alone (1-based), e.g. to profile it with perf.
                variants = [variants[only - 1]];
            }

            var results = variants.ToDictionary(v => v, _ => new List<Measurement>());
            var samplers = variants.ToDictionary(v => v, _ => sampleAllocations ? new AllocationSampler { Paused = true } : null);
            foreach (var variant in variants)
            {
                await MeasureAsync(variant, messages, directory, redactor, TimeSpan.FromSeconds(3), requests > 0 ? 200 : 0, null);
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var variant in variants)
                {
                    var m = await MeasureAsync(variant, messages, directory, redactor, TimeSpan.FromSeconds(seconds), requests, samplers[variant]);
                    results[variant].Add(m);
                    Console.WriteLine($"#   round {round + 1}: {variant.Name}: {m.SpansPerCpuSecond:N0} spans/CPU-s, {m.BytesPerSpan:N0} B/span, gen0/1/2 {m.Gen0}/{m.Gen1}/{m.Gen2}");
                }
            }

            Console.WriteLine();
            Console.WriteLine("| variant | spans | CPU s | wall s | spans per CPU-second (median round) | allocated B/span | GCs gen0/gen1/gen2 | rounds (spans/CPU-s) |");
            Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|---|");
            foreach (var variant in variants)
            {
                var list = results[variant];
                var median = list.OrderBy(m => m.SpansPerCpuSecond).ElementAt(list.Count / 2);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {variant.Name} | {median.Spans:N0} | {median.Cpu.TotalSeconds:F2} | {median.Wall.TotalSeconds:F1} | {median.SpansPerCpuSecond:N0} | {median.BytesPerSpan:N0} | {median.Gen0}/{median.Gen1}/{median.Gen2} | {string.Join(", ", list.Select(m => m.SpansPerCpuSecond.ToString("N0", CultureInfo.InvariantCulture)))} |"));
            }

            Console.WriteLine($"# load after: {File.ReadAllText("/proc/loadavg").Trim()}");
            foreach (var variant in variants)
            {
                if (samplers[variant] is { } sampler)
                {
                    Console.WriteLine($"# allocations by type (sampled), {variant.Name}:");
                    sampler.Print();
                    sampler.Dispose();
                }
            }

            return 0;
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <param name="requests">When positive, exactly this many requests instead of <paramref name="duration"/> (for instruction counts).</param>
    /// <param name="sampler">When set, counts allocations by type during the measurement only.</param>
    private static async Task<Measurement> MeasureAsync(Variant variant, byte[][] messages, string directory, Redactor redactor, TimeSpan duration, int requests, AllocationSampler? sampler)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var context = new Context(
            new SignalDecoder(new IngestOptions(), redactor, useWireReader: false),
            new SignalDecoder(new IngestOptions(), redactor, useWireReader: true),
            variant.UsesLog
                ? await WriteAheadLog.OpenAsync(new WalOptions { Directory = directory, FsyncEnabled = true, RetentionSegments = 0 })
                : null);
        try
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var wall = Stopwatch.StartNew();
            if (sampler is not null)
            {
                sampler.Paused = false;
            }

            var deadline = requests > 0 ? DateTime.MaxValue : DateTime.UtcNow + duration;
            long spans = 0;
            var next = -1;
            var tasks = new Task[variant.Workers];
            for (var w = 0; w < variant.Workers; w++)
            {
                var worker = w;
                tasks[w] = Task.Run(async () =>
                {
                    while (DateTime.UtcNow < deadline)
                    {
                        var i = Interlocked.Increment(ref next);
                        if (requests > 0 && i >= requests)
                        {
                            break;
                        }

                        Interlocked.Add(ref spans, await variant.Run(context, messages[i % messages.Length]));
                    }
                });
            }

            var checkpoints = CheckpointAsync(context.Log, tasks);
            await Task.WhenAll(tasks);
            await checkpoints;
            wall.Stop();
            if (sampler is not null)
            {
                sampler.Paused = true;
            }

            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            return new Measurement(spans, cpu, wall.Elapsed, allocated, GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
        }
        finally
        {
            if (context.Log is not null)
            {
                await context.Log.DisposeAsync();
            }
        }
    }

    // What the server's inventory does once a second: lets the log drop what is applied, so it never fills up.
    private static async Task CheckpointAsync(WriteAheadLog? log, Task[] workers)
    {
        if (log is null)
        {
            return;
        }

        var all = Task.WhenAll(workers);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(200));
            if (log.LastLsn > log.CheckpointLsn)
            {
                await log.CheckpointAsync(log.LastLsn);
            }
        }
    }

    private static ValueTask<int> DecodeOld(Context context, byte[] message)
    {
        var decoded = new DecodedRequest();
        context.Reference.Decode(IngestSignal.Traces, PayloadFormat.Protobuf, message, decoded);
        return ValueTask.FromResult((int)decoded.AcceptedItems);
    }

    private static ValueTask<int> DecodeNew(Context context, byte[] message)
    {
        var decoded = new DecodedRequest();
        context.Wire.Decode(IngestSignal.Traces, PayloadFormat.Protobuf, message, decoded);
        return ValueTask.FromResult((int)decoded.AcceptedItems);
    }

    // The previous receiver: the body read into a new array, decoded, copied behind a format byte, copied again by the log
    // (a redacted request is logged as its signals, as IngestService does; this payload has nothing to redact).
    private static async ValueTask<int> LogOld(Context context, byte[] message)
    {
        var body = message.AsSpan().ToArray();
        var decoded = new DecodedRequest();
        context.Reference.Decode(IngestSignal.Traces, PayloadFormat.Protobuf, body, decoded);
        byte[] record;
        if (decoded.RedactedSignals > 0)
        {
            record = SignalRecordCodec.EncodeRecord(decoded.Signals);
        }
        else
        {
            record = new byte[body.Length + 1];
            record[0] = (byte)PayloadFormat.Protobuf;
            body.CopyTo(record.AsSpan(1));
        }

        await context.Log!.AppendAsync(record, (byte)IngestSignal.Traces);
        return (int)decoded.AcceptedItems;
    }

    // Now: the body read into a pooled buffer, decoded from it (through the thread's reused list, the signals copied
    // out in chunks as the pipeline gets them) and logged from it: what IngestService.AcceptAsync does.
    private static async ValueTask<int> LogNew(Context context, byte[] message)
    {
        using var body = RequestBuffer.CopyOf(message);
        using var prepared = PreparedRequest.Decode(context.Wire, IngestSignal.Traces, PayloadFormat.Protobuf, body);
        _ = await context.Log!.AppendFramedAsync(prepared.Record(body, PayloadFormat.Protobuf), (byte)IngestSignal.Traces);
        return (int)prepared.Result.AcceptedItems;
    }

    private static byte[] WithSecret(byte[] message)
    {
        var request = Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1.ExportTraceServiceRequest.Parser.ParseFrom(message);
        request.ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes.Add(new Autopilot.Ingest.Otlp.Proto.Common.V1.KeyValue
        {
            Key = "http.request.header.authorization",
            Value = new Autopilot.Ingest.Otlp.Proto.Common.V1.AnyValue { StringValue = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl" },
        });
        return Google.Protobuf.MessageExtensions.ToByteArray(request);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Context(SignalDecoder Reference, SignalDecoder Wire, WriteAheadLog? Log);

    private sealed record Variant(string Name, int Workers, bool UsesLog, Func<Context, byte[], ValueTask<int>> Run);

    private sealed record Measurement(long Spans, TimeSpan Cpu, TimeSpan Wall, long Allocated, int Gen0, int Gen1, int Gen2)
    {
        public double SpansPerCpuSecond => Spans / Cpu.TotalSeconds;

        public double BytesPerSpan => (double)Allocated / Spans;
    }
}
