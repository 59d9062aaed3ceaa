using System.ComponentModel;
using System.Net;
using Autopilot.Engines.Events;
using System.Text.Json.Serialization;
using Autopilot.Engines.Hosting;
using Autopilot.Host.Security;
using Autopilot.Host.Telemetry;
using Autopilot.Ingest.Receivers;
using Autopilot.Rca;
using Autopilot.Rca.Graph;
using Autopilot.Ingest.Redaction;
using Microsoft.Extensions.Configuration;

namespace Autopilot.Host.Hosting;

/// <summary>
/// Options for <c>autopilot serve</c>. Every default lives here and only here (or in the options class of the
/// part it belongs to). The configuration file's keys are these properties in camelCase (README, "Configuration").
/// </summary>
public sealed class ServerOptions
{
    /// <summary>Port of the gRPC listener (h2c): OTLP/gRPC and the RCA service. 0 picks a free port.</summary>
    public int GrpcPort { get; set; } = 4317;

    /// <summary>Port of the HTTP/1.1 listener: OTLP/HTTP, OpenLineage, remote write, API, dashboard. 0 picks a free port.</summary>
    public int HttpPort { get; set; } = 4318;

    /// <summary>Address both listeners bind to. Loopback by default, so a fresh install exposes nothing.</summary>
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    /// <summary>Directory for the write-ahead log, state and graph stores.</summary>
    public string DataDirectory
    {
        get => Ingest.DataDirectory;
        set => Ingest.DataDirectory = value;
    }

    /// <summary>
    /// Npgsql connection string of a PostgreSQL database for engine state (snapshots, findings, incidents) and the
    /// asset graph (its own tables in the same database); null keeps them in SQLite under <see cref="DataDirectory"/>
    /// (<c>engines.db</c>, <c>graph.db</c>). The write-ahead log stays on disk either way.
    /// </summary>
    [ConfigurationKeyName("postgres")]
    [PasswordPropertyText(true)]
    public string? EngineStoreConnectionString { get; set; }

    /// <summary>How long a graceful shutdown may take to drain the pipeline before it is cut short.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The ingest edge: request size cap, queue, write-ahead log, URN aliases.</summary>
    public IngestOptions Ingest { get; } = new();

    /// <summary>Bearer tokens and their roles; none means no authentication.</summary>
    public AuthOptions Auth { get; } = new();

    /// <summary>Certificates for the listeners; none means cleartext.</summary>
    public TlsOptions Tls { get; } = new();

    /// <summary>What is redacted from telemetry before it is stored or sent to an LLM (built-in rules on by default).</summary>
    public RedactionOptions Redaction { get; } = new();

    /// <summary>The engines: shards, snapshots, windows and thresholds.</summary>
    public EngineOptions Engines { get; } = new();

    /// <summary>
    /// Whether accepted signals flow on into the engines and the asset graph. Off, the server only ingests (decode,
    /// redaction, write-ahead log, asset inventory) and finds nothing: for measuring the ingest path alone. Signals
    /// ingested while they are off never reach them later, because the log is checkpointed past them.
    /// </summary>
    public bool RunEngines { get; set; } = true;

    /// <summary>Where findings and incidents go as CloudEvents.</summary>
    public EventsOptions Events { get; } = new();

    /// <summary>Autopilot's own traces and metrics (off by default).</summary>
    public TelemetryOptions Telemetry { get; } = new();

    /// <summary>Autopilot's own log: format and level.</summary>
    public LoggingOptions Logging { get; } = new();

    /// <summary>Root-cause analysis: bounds, cache and the LLM explainer (off unless configured).</summary>
    public RcaOptions Rca { get; } = new();

    /// <summary>The asset graph builder: idle timeouts, retention, span pairing, flush interval, caps.</summary>
    public GraphBuilderOptions Graph { get; } = new();

    /// <summary>The live event stream behind <c>GET /api/events</c> and the dashboard: subscribers, buffer, heartbeat.</summary>
    public LiveEventsOptions LiveEvents { get; } = new();

    /// <summary>File that findings and incidents are appended to as CloudEvents JSON lines; null for none. Same as <see cref="EventsOptions.File"/>.</summary>
    [JsonIgnore]
    public string? EventsFile
    {
        get => Events.File;
        set => Events.File = value;
    }

    /// <summary>URL that findings and incidents are POSTed to as CloudEvents batches; null for none. Same as <see cref="EventsOptions.Webhook"/>.</summary>
    [JsonIgnore]
    public Uri? EventsWebhook
    {
        get => Events.Webhook;
        set => Events.Webhook = value;
    }

    /// <summary>
    /// Where these options were read from (set by <c>autopilot serve</c>), so <c>POST /-/reload</c> and SIGHUP can read the
    /// configuration again and name the keys that changed since start; null for options built in code.
    /// </summary>
    [JsonIgnore]
    internal Configuration.ConfigSource? Source { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> whose message has one line per problem found.</summary>
    public void Validate()
    {
        var problems = ValidationProblems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join('\n', problems));
        }
    }

    /// <summary>
    /// Every problem found, one per section at most (a section's own check stops at its first), each naming its
    /// key path: <c>ingest.maxRequestBytes must be at least 1024, got -1.</c> Certificate and token files are
    /// read, so a missing file is reported here rather than when the listener starts.
    /// </summary>
    public IReadOnlyList<string> ValidationProblems()
    {
        var problems = new List<string>();
        Check(problems, () =>
        {
            if (GrpcPort is < 0 or > 65535)
            {
                throw new ArgumentException($"grpcPort must be between 0 and 65535, got {GrpcPort}.");
            }

            if (HttpPort is < 0 or > 65535)
            {
                throw new ArgumentException($"httpPort must be between 0 and 65535, got {HttpPort}.");
            }

            if (GrpcPort != 0 && GrpcPort == HttpPort)
            {
                throw new ArgumentException($"grpcPort and httpPort must differ, both are {GrpcPort}.");
            }

            if (BindAddress is null)
            {
                throw new ArgumentException("bindAddress must be an IP address such as 127.0.0.1 or 0.0.0.0.");
            }
        });
        Check(problems, () =>
        {
            if (EngineStoreConnectionString is not null && string.IsNullOrWhiteSpace(EngineStoreConnectionString))
            {
                throw new ArgumentException("postgres: the engine store connection string is empty; leave it unset for the SQLite default.");
            }
        });
        Check(problems, () =>
        {
            if (ShutdownTimeout <= TimeSpan.Zero)
            {
                throw new ArgumentException("shutdownTimeout must be positive.");
            }
        });
        Check(problems, Ingest.Validate);
        Check(problems, Auth.Validate);
        Check(problems, Tls.Validate);
        Check(problems, Redaction.Validate);
        Check(problems, Engines.Validate);
        Check(problems, Events.Validate);
        Check(problems, Telemetry.Validate);
        Check(problems, Logging.Validate);
        Check(problems, Rca.Validate);
        Check(problems, Graph.Validate);
        Check(problems, LiveEvents.Validate);
        return problems;
    }

    private static void Check(List<string> problems, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
        }
    }
}
