using System.Text.Json;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>One dataset facet map: every facet as raw JSON plus the typed ones.</summary>
public sealed record DatasetFacets(
    IReadOnlyDictionary<string, JsonElement> Raw,
    SchemaFacet? Schema,
    DataQualityMetricsFacet? DataQualityMetrics,
    DataQualityAssertionsFacet? DataQualityAssertions,
    OutputStatisticsFacet? OutputStatistics,
    ColumnLineageFacet? ColumnLineage,
    DatasetVersionFacet? Version,
    LifecycleStateChangeFacet? LifecycleStateChange)
{
    public static readonly DatasetFacets Empty = new(LineageFacetMaps.EmptyRaw, null, null, null, null, null, null, null);
}
