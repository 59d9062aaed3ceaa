namespace Autopilot.Ingest.OpenLineage;

/// <summary>
/// An input, output or static dataset. OpenLineage puts facets in three maps: <c>facets</c> (any
/// dataset), <c>inputFacets</c> (inputs) and <c>outputFacets</c> (outputs); the shortcuts below look
/// where the spec puts each facet first and fall back to <c>facets</c>, where older producers put them.
/// </summary>
public sealed record LineageDataset(
    string Namespace,
    string Name,
    DatasetFacets Facets,
    DatasetFacets InputFacets,
    DatasetFacets OutputFacets)
{
    public SchemaFacet? Schema => Facets.Schema;

    public DataQualityMetricsFacet? DataQualityMetrics => InputFacets.DataQualityMetrics ?? Facets.DataQualityMetrics;

    public DataQualityAssertionsFacet? DataQualityAssertions => InputFacets.DataQualityAssertions ?? Facets.DataQualityAssertions;

    public OutputStatisticsFacet? OutputStatistics => OutputFacets.OutputStatistics ?? Facets.OutputStatistics;

    public ColumnLineageFacet? ColumnLineage => Facets.ColumnLineage;

    public DatasetVersionFacet? Version => Facets.Version;

    public LifecycleStateChangeFacet? LifecycleStateChange => Facets.LifecycleStateChange;
}
