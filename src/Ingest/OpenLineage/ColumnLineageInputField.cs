using System.Collections.Immutable;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>An input field an output column is derived from.</summary>
public sealed record ColumnLineageInputField(string? Namespace, string? Name, string? Field, ImmutableArray<ColumnTransformation> Transformations);
