namespace Autopilot.Host.Telemetry;

/// <summary>How Autopilot's own telemetry is exported.</summary>
public enum TelemetryProtocol
{
    /// <summary>OTLP/gRPC (e.g. <c>http://collector:4317</c>).</summary>
    Grpc,

    /// <summary>OTLP/HTTP with protobuf (e.g. <c>http://collector:4318</c>; <c>/v1/traces</c> and <c>/v1/metrics</c> are appended).</summary>
    Http,
}
