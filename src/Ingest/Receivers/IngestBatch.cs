using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Receivers;

/// <summary>One durable request on its way through the pipeline: its log position and its signals.</summary>
public sealed record IngestBatch(long Lsn, IngestSignal Signal, IReadOnlyList<Signal> Signals);
