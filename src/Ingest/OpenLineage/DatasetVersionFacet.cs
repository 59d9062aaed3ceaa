namespace Autopilot.Ingest.OpenLineage;

/// <summary>The <c>version</c> dataset facet.</summary>
public sealed record DatasetVersionFacet(string? DatasetVersion);
