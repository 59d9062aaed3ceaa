using System.Collections.Immutable;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>One output field of a <c>columnLineage</c> facet.</summary>
public sealed record ColumnLineageField(string Field, ImmutableArray<ColumnLineageInputField> InputFields);
