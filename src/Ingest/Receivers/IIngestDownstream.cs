using Autopilot.Pipeline;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// What consumes accepted requests after the asset inventory (the engines). It sees every batch in log
/// order, replayed ones included, and says how far its effects are durable so the log is not trimmed
/// past what it would need after a crash.
/// </summary>
public interface IIngestDownstream
{
    /// <summary>The sink accepted batches flow into. Called once, when the ingest graph is built.</summary>
    Sink<IngestBatch, Task> CreateSink();

    /// <summary>Largest log position whose effects are durable downstream; -1 when none. Replay starts after the smaller of this and the inventory's.</summary>
    long DurableLsn { get; }

    /// <summary>
    /// The log is filling up: make the state durable soon (e.g. snapshot at the next barrier instead of
    /// waiting for the snapshot interval), so the log can be trimmed.
    /// </summary>
    void RequestDurability();
}
