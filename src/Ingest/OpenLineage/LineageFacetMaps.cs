using System.Collections.ObjectModel;
using System.Text.Json;

namespace Autopilot.Ingest.OpenLineage;

internal static class LineageFacetMaps
{
    public static readonly IReadOnlyDictionary<string, JsonElement> EmptyRaw =
        new ReadOnlyDictionary<string, JsonElement>(new Dictionary<string, JsonElement>(0, StringComparer.Ordinal));
}
