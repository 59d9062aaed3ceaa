namespace Autopilot.Ingest.Inventory;

/// <summary>One asset of the inventory: a URN seen in any signal, with durable counts by signal kind.</summary>
public sealed record AssetRecord(
    string Urn,
    string Kind,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    long Spans,
    long Metrics,
    long Logs,
    long Lineage,
    long Records,
    long Changes)
{
    public long Total => Spans + Metrics + Logs + Lineage + Records + Changes;
}
