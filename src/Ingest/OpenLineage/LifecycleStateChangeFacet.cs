namespace Autopilot.Ingest.OpenLineage;

/// <summary>The <c>lifecycleStateChange</c> facet (CREATE, ALTER, DROP, OVERWRITE, RENAME, TRUNCATE); the previous identifier is set for renames.</summary>
public sealed record LifecycleStateChangeFacet(string? LifecycleStateChange, string? PreviousNamespace, string? PreviousName);
