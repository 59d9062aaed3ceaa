namespace Autopilot.Ingest.Otlp;

/// <summary>The three OTLP export services: <c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>.</summary>
public enum OtlpSignalType : byte
{
    Traces = 1,
    Metrics = 2,
    Logs = 3,
}
