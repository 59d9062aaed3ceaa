namespace Autopilot.Ingest.OpenLineage;

/// <summary>The job of a run or job event.</summary>
public sealed record LineageJob(string Namespace, string Name, JobFacets Facets);
