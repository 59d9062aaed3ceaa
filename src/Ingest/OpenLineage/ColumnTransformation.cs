namespace Autopilot.Ingest.OpenLineage;

/// <summary>How an input field became an output field (type DIRECT/INDIRECT, subtype such as IDENTITY or AGGREGATION).</summary>
public sealed record ColumnTransformation(string? Type, string? Subtype, string? Description, bool? Masking);
