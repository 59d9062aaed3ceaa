namespace Autopilot.Ingest.Receivers;

/// <summary>What a request carries; also the write-ahead-log record type.</summary>
public enum IngestSignal : byte
{
    Traces = 1,
    Metrics = 2,
    Logs = 3,
    Lineage = 4,
    RemoteWrite = 5,
}
