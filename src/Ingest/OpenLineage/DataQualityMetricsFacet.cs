using System.Collections.Immutable;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>The <c>dataQualityMetrics</c> facet (an input facet in the spec).</summary>
public sealed record DataQualityMetricsFacet(long? RowCount, long? Bytes, long? FileCount, ImmutableArray<ColumnMetrics> ColumnMetrics);
