using System.Text.Json;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>Job facets: every facet as raw JSON plus the typed ones.</summary>
public sealed record JobFacets(IReadOnlyDictionary<string, JsonElement> Raw, JobTypeFacet? JobType, SqlJobFacet? Sql)
{
    public static readonly JobFacets Empty = new(LineageFacetMaps.EmptyRaw, null, null);
}
