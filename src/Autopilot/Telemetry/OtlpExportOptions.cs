using System.ComponentModel;

namespace Autopilot.Host.Telemetry;

/// <summary>Where Autopilot sends its own traces and metrics.</summary>
public sealed class OtlpExportOptions
{
    /// <summary>Collector (or Autopilot) endpoint; null (the default) turns self-telemetry off.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http</c> (OTLP/HTTP protobuf).</summary>
    public TelemetryProtocol Protocol { get; set; } = TelemetryProtocol.Grpc;

    /// <summary>Headers sent with every export, <c>key=value</c> pairs separated by commas (e.g. an <c>Authorization</c> header).</summary>
    [PasswordPropertyText(true)]
    public string? Headers { get; set; }

    /// <summary>PEM file of the CA (or self-signed certificate) to trust for an https endpoint, beyond the system's. Default none.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>How long one export may take. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
