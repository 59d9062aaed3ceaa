namespace Autopilot.Ingest.OpenLineage;

/// <summary>Metrics of one column in a <c>dataQualityMetrics</c> facet; <paramref name="Quantiles"/> maps a quantile such as "0.5" to its value.</summary>
public sealed record ColumnMetrics(
    string Column,
    long? NullCount,
    long? DistinctCount,
    double? Sum,
    double? Count,
    double? Min,
    double? Max,
    IReadOnlyDictionary<string, double> Quantiles);
