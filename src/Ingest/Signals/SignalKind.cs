namespace Autopilot.Ingest.Signals;

/// <summary>What a canonical signal describes. CloudEvents type is <c>autopilot.signal.&lt;kind&gt;</c>.</summary>
public enum SignalKind : byte
{
    Span = 1,
    Metric = 2,
    Log = 3,
    Lineage = 4,
    Record = 5,
    Change = 6,
}
