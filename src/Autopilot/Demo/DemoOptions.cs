using Autopilot.Simulator.Faults;

namespace Autopilot.Host.Demo;

/// <summary>Options of <c>autopilot demo</c>. Every default lives here and only here.</summary>
internal sealed class DemoOptions
{
    /// <summary>
    /// The script when <c>--faults</c> is not given: a bad deploy on the request path, then a broken schema on the data
    /// path. They lie far enough apart in the asset graph to become two incidents; a second fault on the request path
    /// within the correlation window (15 min) would join the deploy's incident instead (README, "Demo").
    /// </summary>
    public static IReadOnlyList<DemoFaultRequest> DefaultFaults { get; } =
    [
        new(FaultKind.DeployErrors, "payment", null),
        new(FaultKind.SchemaChange, "etl.orders_daily", null),
    ];

    /// <summary>OTLP/HTTP, API and dashboard port. 0 picks a free one.</summary>
    public int HttpPort { get; set; } = 4318;

    /// <summary>OTLP/gRPC port. 0 picks a free one.</summary>
    public int GrpcPort { get; set; } = 4317;

    /// <summary>
    /// True when the user chose <see cref="HttpPort"/>: a busy port is then an error (exit 2). A default port that is
    /// busy is replaced by a free one and the output says so, since a newcomer's <c>autopilot serve</c> may hold it.
    /// </summary>
    public bool HttpPortExplicit { get; set; }

    /// <summary>True when the user chose <see cref="GrpcPort"/> (same rule as <see cref="HttpPortExplicit"/>).</summary>
    public bool GrpcPortExplicit { get; set; }

    /// <summary>Where the server keeps its log and state; null: a temporary directory, deleted at exit.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>How long the live phase runs (traffic on the wall clock, faults injected). Default 2 min.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Healthy history simulated before going live, ending now. Default 3 h: the latency detector scores after 60
    /// one-minute windows, and its first scored windows bring a burst of false alarms (minutes 60 to about 100) whose
    /// incident would still be open and take in the first live fault's findings with a shorter history.
    /// </summary>
    public TimeSpan Backfill { get; set; } = TimeSpan.FromHours(3);

    /// <summary>
    /// How much longer than <see cref="Duration"/> the live phase may go on while an injected fault has not yet been
    /// found (its engine window has not closed). Default 60 s, one engine window; 0 stops at <see cref="Duration"/>.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The faults to inject, in order; an entry without a time is placed by <see cref="DemoPlan"/>.</summary>
    public IReadOnlyList<DemoFaultRequest> Faults { get; set; } = DefaultFaults;

    /// <summary>Seed of the traffic and of the faults' magnitudes. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>User requests per second at the shop's entry. Default 2 (about 26 spans a second).</summary>
    public double RequestsPerSecond { get; set; } = 2;

    /// <summary>Keep the server and the traffic running after the summary, until Ctrl+C.</summary>
    public bool KeepRunning { get; set; }

    /// <summary>Open the dashboard in the default browser.</summary>
    public bool Open { get; set; }

    /// <summary>Print the final summary as JSON on stdout (the running commentary goes to stderr).</summary>
    public bool Json { get; set; }

    /// <summary>The services' environment, hence the namespace of their URNs.</summary>
    public string Environment { get; set; } = "demo";

    /// <summary>Every problem with the options, one line each; empty when they are valid.</summary>
    public List<string> Problems()
    {
        var problems = new List<string>();
        if (HttpPort is < 0 or > 65535)
        {
            problems.Add($"--http-port must be between 0 and 65535, got {HttpPort}");
        }

        if (GrpcPort is < 0 or > 65535)
        {
            problems.Add($"--grpc-port must be between 0 and 65535, got {GrpcPort}");
        }

        if (HttpPort != 0 && HttpPort == GrpcPort)
        {
            problems.Add($"--http-port and --grpc-port must differ, both are {HttpPort}");
        }

        if (Duration < TimeSpan.FromSeconds(10) || Duration > TimeSpan.FromHours(24))
        {
            problems.Add($"--duration must be between 10s and 24h, got {DemoFormat.Duration(Duration)}");
        }

        if (Grace < TimeSpan.Zero || Grace > TimeSpan.FromMinutes(30))
        {
            problems.Add($"--grace must be between 0s and 30m, got {DemoFormat.Duration(Grace)}");
        }

        if (Backfill < TimeSpan.FromMinutes(5) || Backfill > TimeSpan.FromHours(24))
        {
            problems.Add($"--backfill must be between 5m and 24h, got {DemoFormat.Duration(Backfill)}");
        }

        if (Faults.Count > 12)
        {
            problems.Add($"--faults takes at most 12 faults, got {Faults.Count}");
        }

        foreach (var f in Faults)
        {
            if (f.At is { } at && at >= Duration)
            {
                problems.Add($"--faults: {DemoFormat.Fault(f)} is scheduled at +{DemoFormat.Clock(at)}, not within the --duration of {DemoFormat.Duration(Duration)}");
            }
        }

        if (!(RequestsPerSecond is >= 0.5 and <= 50))
        {
            problems.Add($"--rate must be between 0.5 and 50 requests per second, got {RequestsPerSecond}");
        }

        if (DataDirectory is { } dir && Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
        {
            problems.Add($"--data-dir '{dir}' is not empty: the demo simulates its own history and needs a new or empty directory");
        }

        return problems;
    }
}
