namespace Autopilot.Host.Telemetry;

/// <summary>Autopilot's own traces and metrics, exported with the OpenTelemetry SDK. Off unless an endpoint is set.</summary>
public sealed class TelemetryOptions
{
    /// <summary><c>service.name</c> of Autopilot's own telemetry. Default <c>autopilot</c>.</summary>
    public string ServiceName { get; set; } = "autopilot";

    /// <summary>The OTLP exporter.</summary>
    public OtlpExportOptions Otlp { get; } = new();

    /// <summary>Whether spans (ingest requests, engine snapshots) are exported. Default true.</summary>
    public bool Traces { get; set; } = true;

    /// <summary>Whether the <c>Autopilot.*</c> meters (and ASP.NET Core's) are exported. Default true.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>How often metrics are exported. Default 15 s.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether an endpoint is configured.</summary>
    public bool Enabled => Otlp.Endpoint is not null;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ServiceName))
        {
            throw new ArgumentException("telemetry.serviceName must not be empty.");
        }

        if (Otlp.Endpoint is { } endpoint && endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"telemetry.otlp.endpoint must be an http or https URL, got '{endpoint}'.");
        }

        if (!Enum.IsDefined(Otlp.Protocol))
        {
            throw new ArgumentException("telemetry.otlp.protocol must be grpc or http.");
        }

        if (Otlp.Headers is { Length: > 0 } headers && headers.Split(',').Any(h => h.IndexOf('=', StringComparison.Ordinal) <= 0))
        {
            throw new ArgumentException("telemetry.otlp.headers must be key=value pairs separated by commas.");
        }

        if (Otlp.CertificateFile is { } file && !File.Exists(file))
        {
            throw new ArgumentException($"telemetry.otlp.certificateFile: the file '{file}' does not exist.");
        }

        if (Otlp.Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("telemetry.otlp.timeout must be positive.");
        }

        if (MetricsInterval < TimeSpan.FromMilliseconds(100))
        {
            throw new ArgumentException($"telemetry.metricsInterval must be at least 100ms, got {MetricsInterval}.");
        }
    }
}
