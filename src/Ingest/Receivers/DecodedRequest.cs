using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// The canonical signals one request turned into, and how many of its items were rejected (for
/// OTLP partial success). Items are spans, data points, log records, lineage events or samples.
/// </summary>
public sealed class DecodedRequest
{
    public List<Signal> Signals { get; } = [];

    public long AcceptedItems { get; set; }

    public long RejectedItems { get; set; }

    public string? FirstError { get; set; }

    /// <summary>Signals that redaction changed; when above 0 the log stores the signals, not the raw body.</summary>
    public int RedactedSignals { get; set; }
}
