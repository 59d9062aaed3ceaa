namespace Autopilot.Ingest.OpenLineage;

/// <summary>The <c>outputStatistics</c> output facet; <paramref name="Size"/> is in bytes.</summary>
public sealed record OutputStatisticsFacet(long? RowCount, long? Size, long? FileCount);
