using System.Text.Json;

namespace Autopilot.Rca.Graph.Building;

/// <summary>
/// What the builder keeps about a node's current version beyond its properties, stored with it as JSON so a
/// restarted builder notices the same changes (a version seen a minute before the restart is not a new deploy).
/// </summary>
internal sealed record NodeBookkeeping(Dictionary<string, long>? Versions, string? SchemaFields)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string? Write(NodeState node)
    {
        if (node.RecentVersions.Count == 0 && node.SchemaFields is null)
        {
            return null;
        }

        Dictionary<string, long>? versions = null;
        if (node.RecentVersions.Count > 0)
        {
            versions = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (version, lastSeen) in node.RecentVersions)
            {
                versions[version] = lastSeen;
            }
        }

        return JsonSerializer.Serialize(new NodeBookkeeping(versions, node.SchemaFields), Json);
    }

    /// <summary>Restores what <see cref="Write"/> stored; unreadable text is ignored (the node only forgets its recent versions).</summary>
    public static void Read(string? text, NodeState node)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        NodeBookkeeping? state;
        try
        {
            state = JsonSerializer.Deserialize<NodeBookkeeping>(text, Json);
        }
        catch (JsonException)
        {
            return;
        }

        if (state?.Versions is { } versions)
        {
            foreach (var (version, lastSeen) in versions)
            {
                node.RecentVersions.Add((version, lastSeen));
            }
        }

        node.SchemaFields = state?.SchemaFields;
    }
}
