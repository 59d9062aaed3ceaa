using System.Text.Json;

namespace Autopilot.Host.Tests.Dashboard;

/// <summary>
/// The README's colour rules, written again from the text (not from the page's code), over what the API returns:
/// an asset's health is the worst severity of the incidents open at the time that list it and of its findings in the
/// hour before (critical, warning, else healthy); an edge is red when ≥ 5 % of its requests fail or the end a fault
/// comes from (the callee of <c>calls</c>, the dataset of <c>reads</c>, the source end of every other kind) is
/// critical, amber from 1 % or a warning there, green otherwise.
/// </summary>
internal static class DocumentedHealth
{
    public static Dictionary<string, string> Assets(IEnumerable<JsonElement> openIncidents, IEnumerable<JsonElement> findings)
    {
        var worst = new Dictionary<string, int>(StringComparer.Ordinal);
        void Note(string urn, string? severity)
        {
            var rank = severity switch { "critical" => 2, "warning" => 1, _ => 0 };
            worst[urn] = Math.Max(rank, worst.GetValueOrDefault(urn));
        }

        foreach (var f in findings)
        {
            Note(f.GetProperty("urn").GetString()!, f.GetProperty("severity").GetString());
        }

        foreach (var i in openIncidents)
        {
            foreach (var urn in i.GetProperty("affectedUrns").EnumerateArray())
            {
                Note(urn.GetString()!, i.GetProperty("severity").GetString());
            }
        }

        return worst.ToDictionary(p => p.Key, p => p.Value switch { 2 => "critical", 1 => "warning", _ => "healthy" }, StringComparer.Ordinal);
    }

    public static string Of(Dictionary<string, string> health, string urn) => health.GetValueOrDefault(urn, "healthy");

    public static string Edge(JsonElement edge, Dictionary<string, string> health)
    {
        var kind = edge.GetProperty("kind").GetString();
        var source = kind is "calls" or "reads" ? edge.GetProperty("to").GetString()! : edge.GetProperty("from").GetString()!;
        var stats = edge.GetProperty("stats");
        var requests = stats.GetProperty("requests").GetInt64();
        var ratio = requests > 0 ? (double)stats.GetProperty("errors").GetInt64() / requests : 0;
        var end = Of(health, source);
        return ratio >= 0.05 || end == "critical" ? "critical"
            : ratio >= 0.01 || end == "warning" ? "warning"
            : "healthy";
    }

    /// <summary>Incidents open at <paramref name="atUnixNano"/>: opened by then and not resolved by then.</summary>
    public static IEnumerable<JsonElement> OpenAt(IEnumerable<JsonElement> incidents, long atUnixNano) =>
        incidents.Where(i => i.GetProperty("openedUnixNano").GetInt64() <= atUnixNano
            && (!i.TryGetProperty("resolvedUnixNano", out var r) || r.ValueKind == JsonValueKind.Null || r.GetInt64() > atUnixNano));
}
