using System.Text.Json;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>Run facets: every facet as raw JSON (nothing is lost) plus the typed ones the engines use.</summary>
/// <param name="Raw">Every facet by name, typed ones included, as detached JSON.</param>
/// <param name="Parent">The <c>parent</c> facet, when present.</param>
public sealed record RunFacets(IReadOnlyDictionary<string, JsonElement> Raw, ParentRunFacet? Parent)
{
    public static readonly RunFacets Empty = new(LineageFacetMaps.EmptyRaw, null);
}
