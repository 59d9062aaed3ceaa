using System.Net;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Receivers;

namespace Autopilot.Host.Hosting;

/// <summary>Options for <c>autopilot serve</c>. Every default lives here and only here.</summary>
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
    /// Npgsql connection string of a PostgreSQL database for engine state (snapshots, findings, incidents);
    /// null keeps them in SQLite under <see cref="DataDirectory"/>. The write-ahead log stays on disk either way.
    /// </summary>
    public string? EngineStoreConnectionString { get; set; }

    /// <summary>The ingest edge: request size cap, queue, write-ahead log, auth tokens, URN aliases.</summary>
    public IngestOptions Ingest { get; } = new();

    /// <summary>The engines: shards, snapshots, windows and thresholds.</summary>
    public EngineOptions Engines { get; } = new();

    /// <summary>
    /// Whether accepted signals flow on into the engines. Off, the server only ingests (decode, write-ahead log, asset
    /// inventory) and finds nothing: for measuring the ingest path alone. Signals ingested while the engines are off never
    /// reach them later, because the log is checkpointed past them.
    /// </summary>
    public bool RunEngines { get; set; } = true;

    /// <summary>File that findings and incidents are appended to as CloudEvents JSON lines; null for none.</summary>
    public string? EventsFile { get; set; }

    /// <summary>URL that findings and incidents are POSTed to as CloudEvents batches; null for none.</summary>
    public Uri? EventsWebhook { get; set; }

    /// <summary>How long a graceful shutdown may take to drain the pipeline before it is cut short.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
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

        if (EngineStoreConnectionString is not null && string.IsNullOrWhiteSpace(EngineStoreConnectionString))
        {
            throw new ArgumentException("postgres: the engine store connection string is empty; leave it unset for the SQLite default.");
        }

        Ingest.Validate();
        Engines.Validate();
        if (EventsWebhook is { } hook && hook.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"events.webhook must be an http or https URL, got '{hook}'.");
        }

        if (ShutdownTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("shutdownTimeout must be positive.");
        }
    }
}
