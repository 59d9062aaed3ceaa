using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Autopilot.Engines.State;
using Autopilot.Host.Demo;
using Autopilot.Rca.Graph;
using Autopilot.Simulator;
using Autopilot.Simulator.Faults;

namespace Autopilot.Host.Commands;

/// <summary>
/// <c>autopilot demo</c>: the server plus the simulated shop with a scripted sequence of faults, incidents explained
/// as they open, a summary against the ground truth, and a clean stop. Exit codes: 0 the demo ran to its end and every
/// injected fault became an incident (also when stopped with Ctrl+C after the summary with <c>--keep-running</c>), 1 an
/// injected fault became no incident, or the demo failed (data directory unusable, telemetry lost), 2 usage
/// (bad option, a chosen port in use, a data directory that is not empty), 130 stopped by Ctrl+C (SIGINT) before its
/// end, 143 stopped by SIGTERM before its end; the last two after a clean stop.
/// </summary>
internal static class DemoCommand
{
    public const int NotDetected = 1;
    public const int Interrupted = 130;
    public const int Terminated = 143;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static Command Create()
    {
        var defaults = new DemoOptions();
        var httpPort = new Option<int>("--http-port") { Description = "HTTP port (OTLP/HTTP, API, dashboard). When the default is taken, a free port is used; a port you give must be free (0 picks one).", DefaultValueFactory = _ => defaults.HttpPort };
        var grpcPort = new Option<int>("--grpc-port") { Description = "gRPC port (OTLP/gRPC). Same rule as --http-port.", DefaultValueFactory = _ => defaults.GrpcPort };
        var dataDir = new Option<string?>("--data-dir") { Description = "New or empty directory for the server's log and state (default: a temporary directory, deleted at exit)." };
        var duration = new Option<string>("--duration") { Description = "Live phase: 2m, 90s, 1m30s … (up to --grace more while a fault's incident is still due).", DefaultValueFactory = _ => DemoFormat.Duration(defaults.Duration) };
        var grace = new Option<string>("--grace") { Description = "How much longer than --duration the live phase may go on while an injected fault has no incident yet (0s: stop at --duration).", DefaultValueFactory = _ => DemoFormat.Duration(defaults.Grace) };
        var backfill = new Option<string>("--backfill") { Description = "Healthy history simulated before going live. Below 100m the latency and volume detectors are still warming up (only deploy-errors and schema-change show); below 3h their warm-up alarms may still hold an open incident.", DefaultValueFactory = _ => DemoFormat.Duration(defaults.Backfill) };
        var faults = new Option<string?>("--faults") { Description = "Comma-separated kind[:target][@time], e.g. deploy-errors:payment@15s,slow-db:shop.inventory,schema-change. Kinds: latency, deploy-errors, cpu, stale-dataset, schema-change, slow-db; 'none' for traffic only. Default: deploy-errors:payment,schema-change:etl.orders_daily." };
        var seed = new Option<int>("--seed") { Description = "Seed of the traffic and of the faults' magnitudes.", DefaultValueFactory = _ => defaults.Seed };
        var rate = new Option<double>("--rate") { Description = "User requests per second at the shop's entry.", DefaultValueFactory = _ => defaults.RequestsPerSecond };
        var keepRunning = new Option<bool>("--keep-running") { Description = "After the summary, keep the server and the traffic running until Ctrl+C." };
        var open = new Option<bool>("--open") { Description = "Open the dashboard in the default browser." };
        var output = new Option<string>("--output") { Description = "text (default) or json: the final summary as JSON on stdout (the commentary goes to stderr).", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");

        var command = new Command("demo", "Start the server and a simulated shop, inject a scripted sequence of faults, and watch incidents open and get explained.")
        {
            httpPort, grpcPort, dataDir, duration, grace, backfill, faults, seed, rate, keepRunning, open, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var options = new DemoOptions
            {
                HttpPort = parse.GetValue(httpPort),
                GrpcPort = parse.GetValue(grpcPort),
                HttpPortExplicit = parse.GetResult(httpPort) is { Implicit: false },
                GrpcPortExplicit = parse.GetResult(grpcPort) is { Implicit: false },
                DataDirectory = parse.GetValue(dataDir),
                Seed = parse.GetValue(seed),
                RequestsPerSecond = parse.GetValue(rate),
                KeepRunning = parse.GetValue(keepRunning),
                Open = parse.GetValue(open),
                Json = parse.GetValue(output) == "json",
            };
            var problems = new List<string>();
            if (DemoFormat.TryParseDuration(parse.GetValue(duration), out var live))
            {
                options.Duration = live;
            }
            else
            {
                problems.Add($"--duration '{parse.GetValue(duration)}' is not a duration such as 2m, 90s or 1m30s");
            }

            if (DemoFormat.TryParseDuration(parse.GetValue(grace), out var overtime))
            {
                options.Grace = overtime;
            }
            else
            {
                problems.Add($"--grace '{parse.GetValue(grace)}' is not a duration such as 60s or 2m");
            }

            if (DemoFormat.TryParseDuration(parse.GetValue(backfill), out var history))
            {
                options.Backfill = history;
            }
            else
            {
                problems.Add($"--backfill '{parse.GetValue(backfill)}' is not a duration such as 110m or 1h50m");
            }

            if (parse.GetValue(faults) is { } list)
            {
                options.Faults = ParseFaults(list, problems);
            }

            problems.AddRange(options.Problems());
            if (problems.Count == 0)
            {
                problems.AddRange(CheckTargets(options));
            }

            if (problems.Count > 0)
            {
                foreach (var p in problems)
                {
                    await stderr.WriteLineAsync("autopilot demo: " + p).ConfigureAwait(false);
                }

                return 2;
            }

            // Program.cs leaves Ctrl+C and SIGTERM to this command (System.CommandLine would end the process 2 s
            // after the signal, before the drain and checkpoint are done); an in-process caller passes its token.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var signal = 0;
            using var sigint = parse.InvocationConfiguration.ProcessTerminationTimeout is null ? OnSignal(PosixSignal.SIGINT, stop, s => signal = s) : null;
            using var sigterm = parse.InvocationConfiguration.ProcessTerminationTimeout is null ? OnSignal(PosixSignal.SIGTERM, stop, s => signal = s) : null;

            var commentary = options.Json ? stderr : stdout;
            var commentaryIsTerminal = options.Json
                ? ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected
                : ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
            using var terminal = new DemoTerminal(commentary, stderr, commentaryIsTerminal, ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
            DemoReport report;
            try
            {
                report = await new DemoRunner(options, terminal).RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (DemoUsageException e)
            {
                terminal.ClearStatus();
                await stderr.WriteLineAsync("autopilot demo: " + e.Message).ConfigureAwait(false);
                return 2;
            }
            catch (Exception e) when (e is SimulationException or EngineStoreException or GraphStoreException or IOException or UnauthorizedAccessException or HttpRequestException)
            {
                terminal.ClearStatus();
                await stderr.WriteLineAsync("autopilot demo: " + e.Message).ConfigureAwait(false);
                return 1;
            }

            terminal.ClearStatus();
            if (options.Json)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(report, s_json)).ConfigureAwait(false);
            }

            if (report.Interrupted)
            {
                return signal == (int)PosixSignal.SIGTERM ? Terminated : Interrupted;
            }

            // The demo's promise is that each injected fault becomes an incident; a fault that did not is a failed run
            // (a wrong top root cause is not: it is the RCA's accuracy, which the summary reports).
            return report.Detected < report.Injected ? NotDetected : 0;
        });
        return command;
    }

    private static List<DemoFaultRequest> ParseFaults(string list, List<string> problems)
    {
        var requests = new List<DemoFaultRequest>();
        if (string.Equals(list.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return requests;
        }

        foreach (var entry in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (DemoFaultRequest.Parse(entry, out var problem) is { } request)
            {
                requests.Add(request);
            }
            else
            {
                problems.Add(problem!);
            }
        }

        if (requests.Count == 0 && problems.Count == 0)
        {
            problems.Add("--faults is empty; give at least one fault, or 'none'");
        }

        return requests;
    }

    /// <summary>Every requested target the fault kind cannot hit, with the targets it can.</summary>
    private static IEnumerable<string> CheckTargets(DemoOptions options)
    {
        var topology = DemoTopology.Create();
        foreach (var f in options.Faults)
        {
            var targets = FaultCatalog.Targets(f.Kind, topology);
            if (f.Target is { } target && !targets.Contains(target, StringComparer.Ordinal))
            {
                yield return $"--faults: {FaultKinds.Name(f.Kind)} cannot target '{target}'; targets: {string.Join(", ", targets)}";
            }
        }
    }

    /// <summary>The first signal stops the demo cleanly; a second one is left to the runtime, which ends the process at once.</summary>
    private static PosixSignalRegistration OnSignal(PosixSignal which, CancellationTokenSource stop, Action<int> record) =>
        PosixSignalRegistration.Create(which, context =>
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }

            context.Cancel = true;
            record((int)context.Signal);
            stop.Cancel();
        });
}
