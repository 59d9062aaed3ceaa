using System.Collections.Immutable;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>The <c>columnLineage</c> facet: for each output field, the input fields it comes from.</summary>
public sealed record ColumnLineageFacet(ImmutableArray<ColumnLineageField> Fields);
