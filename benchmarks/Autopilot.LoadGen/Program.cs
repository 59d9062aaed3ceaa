using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Autopilot.LoadGen;

// The ingest load generator: starts the real server as a child process, drives OTLP/gRPC and remote write
// at it, and reads the server's CPU and memory from /proc. See README.md next to this file.
LoadGenOptions options;
try
{
    options = LoadGenOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"loadgen: {e.Message}");
    return 2;
}

if (Machine.ClockTicks() != ProcSample.ClockTicksPerSecond)
{
    Console.Error.WriteLine($"loadgen: CLK_TCK is not {ProcSample.ClockTicksPerSecond}; CPU figures would be wrong.");
    return 2;
}

var work = Directory.CreateTempSubdirectory("autopilot-loadgen-");
var report = new StringBuilder();
report.AppendLine(Report.Invariant($"Machine: {Machine.Describe()}"));
report.AppendLine();
report.AppendLine(Report.Invariant($"Command: `dotnet benchmarks/Autopilot.LoadGen/bin/Release/net10.0/Autopilot.LoadGen.dll {string.Join(' ', args)}`"));
report.AppendLine();
var total = Stopwatch.StartNew();
try
{
    if (!options.SkipOtlp)
    {
        report.Append(await OtlpAsync(options, work.FullName).ConfigureAwait(false));
    }

    if (!options.SkipRemoteWrite)
    {
        report.Append(await RemoteWriteAsync(options, work.FullName).ConfigureAwait(false));
    }
}
catch (InvalidOperationException e)
{
    // The run could not be measured (another benchmark running, a server that did not start): one line, exit 1.
    Console.Error.WriteLine($"loadgen: {e.Message}");
    return 1;
}
finally
{
    try
    {
        work.Delete(recursive: true);
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"loadgen: could not remove {work.FullName}: {e.Message}");
    }
}

report.AppendLine(Report.Invariant($"Total run time: {total.Elapsed.TotalSeconds:0} s."));
Console.WriteLine(report);
if (options.OutFile is { } path)
{
    await File.WriteAllTextAsync(path, report.ToString()).ConfigureAwait(false);
}

return 0;

static async Task<string> OtlpAsync(LoadGenOptions options, string work)
{
    var sb = new StringBuilder();
    await WaitQuietAsync(options, sb).ConfigureAwait(false);

    sb.AppendLine(Report.Invariant($"OTLP/gRPC run, load before it: `{Machine.Uptime()}`"));
    sb.AppendLine();
    var payloads = TracePayloads.Build(options.DistinctTracePayloads, options.SpansPerRequest, seed: 42);
    var avgBytes = payloads.Average(p => (double)p.MessageBytes);
    sb.AppendLine(Report.Invariant($"Payload: {payloads.Length} distinct ExportTraceServiceRequests of {options.SpansPerRequest} spans, {avgBytes / 1024:0} KiB each ({avgBytes / options.SpansPerRequest:0} bytes per span), 5 services per request, one span in ten a database client span."));
    sb.AppendLine();

    var (grpcPort, httpPort) = (FreePort(), FreePort());
    await using var server = StartAutopilot(options, work, "otlp", grpcPort, httpPort);
    using var handler = GrpcTraceTarget.CreateHandler();
    using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    await server.WaitReadyAsync(http, new Uri($"http://127.0.0.1:{httpPort}/healthz"), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    var target = new GrpcTraceTarget(http, grpcPort, payloads);
    var results = new List<PhaseResult>();

    Console.Error.WriteLine("warm-up");
    await new PhaseRunner(server, options.RequestTimeout).RunClosedAsync("warm-up", target, options.Concurrency, options.WarmupDuration).ConfigureAwait(false);
    foreach (var rate in options.Rates)
    {
        Console.Error.WriteLine($"open loop {rate} spans/s");
        var r = await new PhaseRunner(server, options.RequestTimeout)
            .RunOpenAsync($"fixed {rate / 1000}k", target, rate / (double)options.SpansPerRequest, rate, options.MaxInFlight, options.PhaseDuration).ConfigureAwait(false);
        results.Add(r);
        Console.Error.WriteLine(Report.OtlpTable([r]));
    }

    Console.Error.WriteLine("saturation");
    var saturation = await new PhaseRunner(server, options.RequestTimeout)
        .RunClosedAsync("saturation", target, options.Concurrency, options.PhaseDuration).ConfigureAwait(false);
    results.Add(saturation);
    Console.Error.WriteLine(Report.OtlpTable([saturation]));

    var overload = Math.Round(saturation.AcceptedPerSecond * 2 / 1000) * 1000;
    Console.Error.WriteLine($"overload {overload} spans/s");
    var over = await new PhaseRunner(server, options.RequestTimeout)
        .RunOpenAsync("2× saturation", target, overload / options.SpansPerRequest, overload, options.MaxInFlight, options.PhaseDuration).ConfigureAwait(false);
    results.Add(over);
    Console.Error.WriteLine(Report.OtlpTable([over]));

    var final = server.Sample();
    sb.AppendLine(Report.OtlpTable(results));
    sb.AppendLine(Report.Invariant($"Server peak RSS over the whole run (VmHWM): {final.HwmKb / 1024} MiB. Server defaults: fsync on, ingest queue 512 requests, WAL cap 1 GiB, Server GC{(options.ServerArgs.Count > 0 ? "; extra server arguments: " + string.Join(' ', options.ServerArgs) : "")}."));
    sb.AppendLine();
    await server.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
    return sb.ToString();
}

static async Task<string> RemoteWriteAsync(LoadGenOptions options, string work)
{
    var sb = new StringBuilder();
    await WaitQuietAsync(options, sb).ConfigureAwait(false);

    sb.AppendLine(Report.Invariant($"Remote write run, load before it: `{Machine.Uptime()}`"));
    sb.AppendLine();
    var samplesPerRequest = options.RemoteWriteSeries * options.RemoteWriteSamplesPerSeries;
    var bodies = RemoteWritePayloads.Build(options.RemoteWriteWorkers, options.RemoteWriteRequestsPerWorker, options.RemoteWriteSeries, options.RemoteWriteSamplesPerSeries,
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000);
    var avg = bodies.SelectMany(b => b).Average(b => (double)b.Length);
    sb.AppendLine(Report.Invariant($"Payload: {options.RemoteWriteSeries} series × {options.RemoteWriteSamplesPerSeries} samples per request ({samplesPerRequest} samples, 7 labels per series, {avg / 1024:0.0} KiB snappy), {options.RemoteWriteWorkers} workers each owning its series and sending in order, at most {options.RemoteWriteRequestsPerWorker} requests per worker; the first 50 per worker are warm-up (series creation) and not measured. Both servers get the same bytes."));
    sb.AppendLine();
    const int warmupRequests = 50;
    var results = new List<PhaseResult>();
    using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = options.RemoteWriteWorkers }) { Timeout = Timeout.InfiniteTimeSpan };

    {
        var (grpcPort, httpPort) = (FreePort(), FreePort());
        await using var server = StartAutopilot(options, work, "rw", grpcPort, httpPort);
        await server.WaitReadyAsync(http, new Uri($"http://127.0.0.1:{httpPort}/healthz"), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var target = new RemoteWriteTarget(http, new Uri($"http://127.0.0.1:{httpPort}/api/v1/write"), bodies, samplesPerRequest);
        results.Add(await RunRemoteWriteAsync("Autopilot `/api/v1/write`", server, target, options, warmupRequests).ConfigureAwait(false));
        await server.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
    }

    {
        var port = FreePort();
        var dir = Directory.CreateDirectory(Path.Combine(work, "prometheus")).FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n").ConfigureAwait(false);
        await using var server = ChildServer.Start("prometheus", options.PrometheusPath,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--web.enable-remote-write-receiver"],
            Path.Combine(dir, "prometheus.log"));
        await server.WaitReadyAsync(http, new Uri($"http://127.0.0.1:{port}/-/ready"), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var version = (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/api/v1/status/buildinfo")).ConfigureAwait(false)).Split("\"version\":\"")[1].Split('"')[0];
        var target = new RemoteWriteTarget(http, new Uri($"http://127.0.0.1:{port}/api/v1/write"), bodies, samplesPerRequest);
        results.Add(await RunRemoteWriteAsync($"Prometheus {version}", server, target, options, warmupRequests).ConfigureAwait(false));
        if (target.FirstError is { } error)
        {
            sb.AppendLine(Report.Invariant($"Prometheus' first refusal: `{error}`"));
            sb.AppendLine();
        }

        await server.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
    }

    sb.AppendLine(Report.RemoteWriteTable(results));
    var (a, p) = (results[0], results[1]);
    sb.AppendLine(Report.Invariant($"Ratio Autopilot / Prometheus: {a.AcceptedPerSecond / p.AcceptedPerSecond:0.00}× samples/s, {a.ItemsPerCpuSecond / p.ItemsPerCpuSecond:0.00}× samples per CPU-second."));
    sb.AppendLine();
    return sb.ToString();
}

static async Task WaitQuietAsync(LoadGenOptions options, StringBuilder sb)
{
    var (otherBenchmark, problem) = await Machine.WaitQuietAsync(options.QuietWait, options.MaxBusyCores).ConfigureAwait(false);
    if (otherBenchmark)
    {
        throw new InvalidOperationException($"not measuring: {problem} after waiting {options.QuietWait.TotalMinutes:0} min.");
    }

    if (problem is not null)
    {
        Console.Error.WriteLine($"measuring on a busy machine: {problem}");
        sb.AppendLine(Report.Invariant($"**Not a quiet machine:** after waiting {options.QuietWait.TotalMinutes:0} min, {problem}; throughput below is depressed by it, CPU-second ratios less so."));
        sb.AppendLine();
    }
}

static async Task<PhaseResult> RunRemoteWriteAsync(string name, ChildServer server, RemoteWriteTarget target, LoadGenOptions options, int warmupRequests)
{
    Console.Error.WriteLine($"remote write: {name}");
    await new PhaseRunner(server, options.RequestTimeout).RunClosedAsync("warm-up", target, options.RemoteWriteWorkers, options.WarmupDuration, 0, warmupRequests).ConfigureAwait(false);
    var r = await new PhaseRunner(server, options.RequestTimeout)
        .RunClosedAsync(name, target, options.RemoteWriteWorkers, options.PhaseDuration, warmupRequests).ConfigureAwait(false);
    Console.Error.WriteLine(Report.RemoteWriteTable([r]));
    return r;
}

static ChildServer StartAutopilot(LoadGenOptions options, string work, string name, int grpcPort, int httpPort)
{
    var data = Directory.CreateDirectory(Path.Combine(work, "autopilot-" + name)).FullName;
    return ChildServer.Start("autopilot", "dotnet",
        [Path.GetFullPath(options.ServerDll), "serve", "--grpc-port", grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
         "--http-port", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", Path.Combine(data, "data"), .. options.ServerArgs],
        Path.Combine(data, "autopilot.log"));
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
