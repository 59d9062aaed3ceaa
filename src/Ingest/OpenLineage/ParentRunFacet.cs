namespace Autopilot.Ingest.OpenLineage;

/// <summary>The <c>parent</c> run facet: the run and job that started this one. Parts the producer left out are null.</summary>
public sealed record ParentRunFacet(string? RunId, string? JobNamespace, string? JobName);
