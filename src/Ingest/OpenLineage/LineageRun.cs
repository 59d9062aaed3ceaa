namespace Autopilot.Ingest.OpenLineage;

/// <summary>The run of a run event.</summary>
/// <param name="RunId">The run id, a UUID in its canonical 8-4-4-4-12 form as sent.</param>
/// <param name="Facets">Run facets.</param>
public sealed record LineageRun(string RunId, RunFacets Facets);
