namespace Autopilot.Ingest.OpenLineage;

/// <summary>The <c>jobType</c> job facet (BATCH/STREAMING, integration, job type such as QUERY or TEST).</summary>
public sealed record JobTypeFacet(string? ProcessingType, string? Integration, string? JobType);
