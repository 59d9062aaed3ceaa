namespace Autopilot.Ingest.OpenLineage;

/// <summary>The <c>sql</c> job facet.</summary>
public sealed record SqlJobFacet(string? Query, string? Dialect);
