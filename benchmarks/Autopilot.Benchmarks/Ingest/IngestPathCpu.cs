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
/// <para>
/// <c>--signal metrics</c> measures OTLP metrics instead (<see cref="MetricPayloads"/>, 1000 data points per request) in data
/// points per CPU-second. Binary metrics have no span-based reader: both decoders parse them with Google.Protobuf and
/// normalize the object graph, so there is no old/new pair to alternate, only decode alone (1 thread) and the server's
/// path to the log (pooled body, <see cref="PreparedRequest"/>, WAL append with fsync).
/// </para>
/// </summary>
/// <remarks>
/// Run: <c>DOTNET_gcServer=1 dotnet run -c Release --project benchmarks/Autopilot.Benchmarks -- ingest-cpu</c> (the server runs
/// Server GC). Options: <c>--signal traces|metrics --seconds 10 --rounds 3 --workers 8 --only N --pick N,M,… --no-redaction --secrets --alloc</c>
/// (<c>--only</c>: just the N-th variant of the signal's list, e.g. under perf; <c>--pick</c>: those variants, alternating in rounds; <c>--secrets</c> is for traces only;
/// with it, one span per request carries an Authorization header, so every request is logged as its redacted signals;
/// <c>--alloc</c> counts the runtime's allocation-tick events by type over the measured rounds of each variant), <c>--requests N</c>
/// (a fixed number of requests per round instead of a duration, e.g. under <c>perf stat -e instructions</c>).
/// </remarks>
internal static class IngestPathCpu
{
    private const int SpansPerRequest = 1000;

    private const int PointsPerRequest = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        var workers = Option(args, "--workers", 8);
        var rounds = Option(args, "--rounds", 3);
        var only = Option(args, "--only", 0);
        var requests = Option(args, "--requests", 0);
        var sampleAllocations = args.Contains("--alloc");
        var signal = SignalOption(args);
        var metrics = signal == IngestSignal.Metrics;
        if (metrics && args.Contains("--secrets"))
        {
            throw new ArgumentException("--secrets adds an Authorization header to a span; it applies to --signal traces only.");
        }

        // --no-redaction: the same paths with redaction off, to show what the built-in rules cost.
        var redactor = args.Contains("--no-redaction") ? Redactor.None : Redactor.Default;
        byte[][] messages;
        int[] itemsPut;
        if (metrics)
        {
            var payloads = MetricPayloads.Build(16, PointsPerRequest, seed: 42);
            messages = payloads.Select(p => p.GrpcFrame[5..]).ToArray();
            itemsPut = payloads.Select(p => p.DataPoints).ToArray();
        }
        else
        {
            var payloads = TracePayloads.Build(16, SpansPerRequest, seed: 42);
            messages = payloads.Select(p => p.GrpcFrame[5..]).ToArray();
            itemsPut = payloads.Select(p => p.Spans).ToArray();
        }

        if (args.Contains("--secrets"))
        {
            // --secrets: one span per request carries an Authorization header (the secret-keys rule replaces its value), so
            // every request is logged as its re-encoded signals instead of its body: the cost of a stream with secrets in it.
            messages = messages.Select(WithSecret).ToArray();
        }

        var directory = Path.Combine(Path.GetTempPath(), "autopilot-ingest-cpu-" + Guid.NewGuid().ToString("N"));
        var (unit, perUnit, itemsPerRequest) = metrics ? ("data points", "point", PointsPerRequest) : ("spans", "span", SpansPerRequest);
        var counted = metrics
            ? "; the count is DecodedRequest.AcceptedItems, one per accepted data point of any kind (number, histogram, exponential histogram, summary), as the normalizer emits one signal per point"
            : string.Empty;
        Console.WriteLine($"# Ingest path CPU{(metrics ? ", OTLP metrics" : string.Empty)}: {messages.Length} requests of {itemsPerRequest} {unit} ({messages.Average(m => m.Length) / itemsPerRequest:F0} B/{perUnit}), " +
            $"{seconds} s per variant and round, {rounds} rounds, {workers} workers, GC {(GCSettings.IsServerGC ? "Server" : "Workstation")}" +
            $"{(GCSettings.LatencyMode == GCLatencyMode.Batch ? string.Empty : " concurrent")}, {Environment.ProcessorCount} cores, " +
            $"redaction {(redactor.Enabled ? "on (built-in rules)" : "off")}{counted}");
        Console.WriteLine($"# WAL in {directory}, fsync on; load before: {File.ReadAllText("/proc/loadavg").Trim()}");

        // A request with any signal redaction changed is logged as its re-encoded signals, not its body: say how many are.
        var redactedRequests = 0;
        var redactedSignals = 0;
        var probe = new SignalDecoder(new IngestOptions(), redactor, useWireReader: true);
        for (var m = 0; m < messages.Length; m++)
        {
            var decoded = new DecodedRequest();
            probe.Decode(signal, PayloadFormat.Protobuf, messages[m], decoded);

            // A figure per item is only worth something if every item the builder put in is decoded, and nothing else. A data
            // point is exactly one signal; a span is not (a database span adds a derived record signal), so only metrics
            // check the signal count too.
            if (decoded.AcceptedItems != itemsPut[m] || decoded.RejectedItems != 0 || (metrics && decoded.Signals.Count != itemsPut[m]))
            {
                throw new InvalidOperationException(
                    $"request {m} holds {itemsPut[m]} {unit} but decoded to {decoded.AcceptedItems} accepted, {decoded.RejectedItems} rejected " +
                    $"({decoded.FirstError ?? "no error"}) and {decoded.Signals.Count} signals: the payload builder and the decoder disagree, so no figure would be right");
            }

            redactedRequests += decoded.RedactedSignals > 0 ? 1 : 0;
            redactedSignals += decoded.RedactedSignals;
        }

        Console.WriteLine($"# {redactedRequests} of {messages.Length} requests have signals redaction changed ({redactedSignals} signals in all): the log stores those as signals");
        try
        {
            var variants = metrics
                ? new Variant[]
                {
                    // Metrics have one decode path (the wire reader covers traces and logs only), so nothing to compare it with.
                    new("metrics: decode (Google.Protobuf) + normalize + URN + redaction (1 thread)", 1, false, DecodeNew),
                    new($"metrics: + body in pooled buffer + WAL append with fsync ({workers} workers)", workers, true, LogNew),
                }
                : new Variant[]
                {
                    new("decode + normalize + URN + redaction, previous (1 thread)", 1, false, DecodeOld),
                    new("decode + normalize + URN + redaction, span-based reader (1 thread)", 1, false, DecodeNew),
                    new($"+ body copy + WAL append with fsync, previous ({workers} workers)", workers, true, LogOld),
                    new($"+ body in pooled buffer + WAL append with fsync, span-based ({workers} workers)", workers, true, LogNew),

                    // The same without the log: what the log's append, fsync and the kernel's writes add to the line above; and on
                    // one worker, what decoding on both cores at once costs per span (caches and memory the cores share).
                    new($"+ body in pooled buffer, span-based, no log ({workers} workers)", workers, false, PrepareNew),
                    new("+ body in pooled buffer, span-based, no log (1 worker)", 1, false, PrepareNew),
                };
            if (args.Contains("--pick"))
            {
                // Several variants (1-based), alternating in rounds as the full list does: e.g. 5,6 for one worker against eight.
                var at = Array.IndexOf(args, "--pick") + 1;
                var all = variants;
                variants = (at < args.Length ? args[at] : string.Empty).Split(',').Select(p =>
                    int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= all.Length
                        ? all[n - 1]
                        : throw new ArgumentException($"--pick takes variant numbers from 1 to {all.Length} separated by commas, not '{p}'.")).ToArray();
            }
            else if (only > 0)
            {
                // One variant alone (1-based), e.g. to profile it with perf.
                variants = [variants[only - 1]];
            }

            var results = variants.ToDictionary(v => v, _ => new List<Measurement>());
            var samplers = variants.ToDictionary(v => v, _ => sampleAllocations ? new AllocationSampler { Paused = true } : null);
            foreach (var variant in variants)
            {
                await MeasureAsync(variant, signal, messages, directory, redactor, TimeSpan.FromSeconds(3), requests > 0 ? 200 : 0, null);
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var variant in variants)
                {
                    var m = await MeasureAsync(variant, signal, messages, directory, redactor, TimeSpan.FromSeconds(seconds), requests, samplers[variant]);
                    results[variant].Add(m);
                    Console.WriteLine($"#   round {round + 1}: {variant.Name}: {m.ItemsPerCpuSecond:N0} {unit}/CPU-s, {m.BytesPerItem:N0} B/{perUnit}, gen0/1/2 {m.Gen0}/{m.Gen1}/{m.Gen2}");
                }
            }

            Console.WriteLine();
            Console.WriteLine($"| variant | {unit} | CPU s | wall s | {unit} per CPU-second (median round) | allocated B/{perUnit} | GCs gen0/gen1/gen2 | rounds ({unit}/CPU-s) |");
            Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|---|");
            foreach (var variant in variants)
            {
                var list = results[variant];
                var median = list.OrderBy(m => m.ItemsPerCpuSecond).ElementAt(list.Count / 2);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {variant.Name} | {median.Items:N0} | {median.Cpu.TotalSeconds:F2} | {median.Wall.TotalSeconds:F1} | {median.ItemsPerCpuSecond:N0} | {median.BytesPerItem:N0} | {median.Gen0}/{median.Gen1}/{median.Gen2} | {string.Join(", ", list.Select(m => m.ItemsPerCpuSecond.ToString("N0", CultureInfo.InvariantCulture)))} |"));
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
    private static async Task<Measurement> MeasureAsync(Variant variant, IngestSignal signal, byte[][] messages, string directory, Redactor redactor, TimeSpan duration, int requests, AllocationSampler? sampler)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        var context = new Context(
            signal,
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
            long items = 0;
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

                        Interlocked.Add(ref items, await variant.Run(context, messages[i % messages.Length]));
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
            return new Measurement(items, cpu, wall.Elapsed, allocated, GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
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
        context.Wire.Decode(context.Signal, PayloadFormat.Protobuf, message, decoded);
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
    // out in chunks as the pipeline gets them) and logged from it: what IngestService.AcceptAsync does, for either signal.
    private static async ValueTask<int> LogNew(Context context, byte[] message)
    {
        using var body = RequestBuffer.CopyOf(message);
        using var prepared = PreparedRequest.Decode(context.Wire, context.Signal, PayloadFormat.Protobuf, body);
        _ = await context.Log!.AppendFramedAsync(prepared.Record(body, PayloadFormat.Protobuf), (byte)context.Signal);
        return (int)prepared.Result.AcceptedItems;
    }

    // LogNew without the append: the body pooled and decoded as the server decodes it, then dropped.
    private static ValueTask<int> PrepareNew(Context context, byte[] message)
    {
        using var body = RequestBuffer.CopyOf(message);
        using var prepared = PreparedRequest.Decode(context.Wire, context.Signal, PayloadFormat.Protobuf, body);
        return ValueTask.FromResult((int)prepared.Result.AcceptedItems);
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

    private static IngestSignal SignalOption(string[] args)
    {
        var at = Array.IndexOf(args, "--signal");
        if (at < 0)
        {
            return IngestSignal.Traces;
        }

        return (at + 1 < args.Length ? args[at + 1] : null) switch
        {
            "traces" => IngestSignal.Traces,
            "metrics" => IngestSignal.Metrics,
            var other => throw new ArgumentException($"--signal takes traces or metrics, not '{other ?? "(nothing)"}'."),
        };
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <param name="Signal">What the requests are: the decoders and the log record are told so.</param>
    private sealed record Context(IngestSignal Signal, SignalDecoder Reference, SignalDecoder Wire, WriteAheadLog? Log);

    private sealed record Variant(string Name, int Workers, bool UsesLog, Func<Context, byte[], ValueTask<int>> Run);

    /// <param name="Items">Spans or data points, as <see cref="DecodedRequest.AcceptedItems"/> counts them.</param>
    private sealed record Measurement(long Items, TimeSpan Cpu, TimeSpan Wall, long Allocated, int Gen0, int Gen1, int Gen2)
    {
        public double ItemsPerCpuSecond => Items / Cpu.TotalSeconds;

        public double BytesPerItem => (double)Allocated / Items;
    }
}
