using System.Collections.Immutable;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>The <c>dataQualityAssertions</c> facet.</summary>
public sealed record DataQualityAssertionsFacet(ImmutableArray<DataQualityAssertion> Assertions);
