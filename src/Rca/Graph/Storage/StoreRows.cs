using System.Text.Json;

namespace Autopilot.Rca.Graph.Storage;

/// <summary>What both graph stores share: property JSON, edge kind names, and one row per key when a commit repeats one.</summary>
internal static class StoreRows
{
    private static readonly IReadOnlyDictionary<string, string> NoProperties = new Dictionary<string, string>();

    public static string PropertiesJson(IReadOnlyDictionary<string, string> properties) =>
        properties.Count == 0 ? "{}" : JsonSerializer.Serialize(properties);

    public static IReadOnlyDictionary<string, string> Properties(string? json)
    {
        if (string.IsNullOrEmpty(json) || json == "{}")
        {
            return NoProperties;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? NoProperties;
        }
        catch (JsonException)
        {
            return NoProperties; // A damaged row loses its properties, not the graph.
        }
    }

    public static string KindName(EdgeKind kind) => kind.ToString();

    public static bool TryKind(string name, out EdgeKind kind) => Enum.TryParse(name, ignoreCase: false, out kind) && Enum.IsDefined(kind);

    /// <summary>The last node version per (urn, seq), in first-seen order.</summary>
    public static List<NodeVersion> DistinctNodes(IReadOnlyList<NodeVersion> nodes)
    {
        var at = new Dictionary<(string, int), int>();
        var result = new List<NodeVersion>(nodes.Count);
        foreach (var v in nodes)
        {
            var key = (v.Node.Urn, v.Seq);
            if (at.TryGetValue(key, out var index))
            {
                result[index] = v;
            }
            else
            {
                at[key] = result.Count;
                result.Add(v);
            }
        }

        return result;
    }

    /// <summary>The last edge version per (from, to, kind, seq), in first-seen order.</summary>
    public static List<EdgeVersion> DistinctEdges(IReadOnlyList<EdgeVersion> edges)
    {
        var at = new Dictionary<(string, string, EdgeKind, int), int>();
        var result = new List<EdgeVersion>(edges.Count);
        foreach (var v in edges)
        {
            var key = (v.Edge.From, v.Edge.To, v.Edge.Kind, v.Seq);
            if (at.TryGetValue(key, out var index))
            {
                result[index] = v;
            }
            else
            {
                at[key] = result.Count;
                result.Add(v);
            }
        }

        return result;
    }

    /// <summary>One change per (urn, kind, time, description), the key both stores use.</summary>
    public static List<ChangeEvent> DistinctChanges(IReadOnlyList<ChangeEvent> changes)
    {
        var seen = new HashSet<(string, string, long, string)>();
        var result = new List<ChangeEvent>(changes.Count);
        foreach (var c in changes)
        {
            if (seen.Add((c.Urn, c.Kind, c.TimeUnixNano, c.Description)))
            {
                result.Add(c);
            }
        }

        return result;
    }
}
