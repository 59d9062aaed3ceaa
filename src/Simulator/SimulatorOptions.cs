namespace Autopilot.Simulator;

/// <summary>Where and how the simulated services send their telemetry. Every default lives here.</summary>
public sealed class SimulatorOptions
{
    /// <summary>
    /// Base URL of the server's HTTP listener: OTLP/HTTP (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>,
    /// protobuf) and OpenLineage (<c>/api/v1/lineage</c>). Default <c>http://127.0.0.1:4318</c>.
    /// </summary>
    public Uri Endpoint { get; set; } = new("http://127.0.0.1:4318");

    /// <summary>The services' <c>deployment.environment.name</c>, hence the namespace of their URNs. Default <c>sim</c>.</summary>
    public string Environment { get; set; } = "sim";

    /// <summary>Bearer token sent with every request, for a server started with <c>--auth-token</c>; null for none.</summary>
    public string? AuthToken { get; set; }

    /// <summary>User requests arriving at the entry service per simulated second (Poisson arrivals). Default 2.</summary>
    public double RequestsPerSecond { get; set; } = 2.0;

    /// <summary>How often (simulated time) each service's metrics are collected and exported. Default 15 s.</summary>
    public TimeSpan MetricInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long one export may take before the SDK gives up on it. Default 60 s.</summary>
    public TimeSpan ExportTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a request refused as overloaded (429 / 503) is retried before its telemetry is given up. Default 120 s.</summary>
    public TimeSpan ExportRetryTime { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Exports running at once when all services flush (flushes of different services go in parallel). Default 4.</summary>
    public int ExportParallelism { get; set; } = 4;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Endpoint is null || !Endpoint.IsAbsoluteUri || Endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"simulator.endpoint must be an absolute http or https URL, got '{Endpoint}'.");
        }

        if (string.IsNullOrWhiteSpace(Environment))
        {
            throw new ArgumentException("simulator.environment must not be empty.");
        }

        if (!(RequestsPerSecond is > 0 and <= 1000))
        {
            throw new ArgumentException($"simulator.requestsPerSecond must be in (0, 1000], got {RequestsPerSecond}.");
        }

        if (MetricInterval < TimeSpan.FromSeconds(1) || MetricInterval > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException($"simulator.metricInterval must be between 1 s and 5 min, got {MetricInterval}.");
        }

        if (ExportTimeout <= TimeSpan.Zero || ExportRetryTime < TimeSpan.Zero)
        {
            throw new ArgumentException("simulator.exportTimeout must be positive and simulator.exportRetryTime not negative.");
        }

        if (ExportParallelism is < 1 or > 64)
        {
            throw new ArgumentException($"simulator.exportParallelism must be between 1 and 64, got {ExportParallelism}.");
        }
    }
}
