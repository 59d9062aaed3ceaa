using System.Text.Json;
using Autopilot.Host.Hosting;
using Autopilot.Simulator.Accuracy;

namespace Autopilot.Simulator.Tests.TestSupport;

/// <summary>Reads what arrived at a real server (asset inventory, findings) and compares it with what the simulation sent.</summary>
internal static class ServerAssertions
{
    /// <summary>
    /// Waits until the asset inventory holds exactly what <paramref name="stats"/> says was sent (spans, logs and
    /// metric points per service; records per table and topic; lineage per job and dataset), then asserts it.
    /// The inventory is updated after the acknowledgement, so it is polled; the counts must then be exact.
    /// </summary>
    public static async Task<Dictionary<string, JsonElement>> AssertInventoryMatchesAsync(InProcessServer server, SimulationStats stats)
    {
        var expected = new List<(string Urn, string Field, long Count)>();
        Add(expected, stats.SpansByUrn, "spans");
        Add(expected, stats.LogsByUrn, "logs");
        Add(expected, stats.MetricPointsByUrn, "metrics");
        Add(expected, stats.RecordsByUrn, "records");
        Add(expected, stats.LineageByUrn, "lineage");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        Dictionary<string, JsonElement> assets;
        while (true)
        {
            using var doc = JsonDocument.Parse(await server.Api.GetStringAsync(new Uri("/api/assets?limit=10000", UriKind.Relative)));
            assets = doc.RootElement.GetProperty("assets").EnumerateArray().ToDictionary(a => a.GetProperty("urn").GetString()!, a => a.Clone(), StringComparer.Ordinal);
            var current = assets;
            if (expected.All(e => current.TryGetValue(e.Urn, out var a) && a.GetProperty(e.Field).GetInt64() == e.Count) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        foreach (var (urn, field, count) in expected)
        {
            Assert.True(assets.ContainsKey(urn), $"asset {urn} never arrived");
            Assert.True(assets[urn].GetProperty(field).GetInt64() == count, $"{urn}: {field} = {assets[urn].GetProperty(field).GetInt64()}, sent {count}");
        }

        return assets;
    }

    /// <summary>Findings at or after <paramref name="from"/> (after the drain, so every window has closed).</summary>
    public static async Task<IReadOnlyList<(FindingView Finding, string Summary)>> FindingsAsync(InProcessServer server, DateTimeOffset from)
    {
        var ms = from.ToUnixTimeMilliseconds();
        using var doc = JsonDocument.Parse(await server.Api.GetStringAsync(new Uri($"/api/findings?from={ms}&limit=10000", UriKind.Relative)));
        return [.. doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => (
            new FindingView(f.GetProperty("id").GetString()!, f.GetProperty("urn").GetString()!, f.GetProperty("kind").GetString()!, f.GetProperty("score").GetDouble(), f.GetProperty("timeUnixNano").GetInt64()),
            f.GetProperty("summary").GetString()!))];
    }

    public static string Describe(IEnumerable<(FindingView Finding, string Summary)> findings) =>
        string.Join("\n", findings.Select(f => $"  {DateTimeOffset.FromUnixTimeMilliseconds(f.Finding.TimeUnixNano / 1_000_000):HH:mm:ss} {f.Finding.Kind} {f.Finding.Urn}: {f.Summary}"));

    private static void Add(List<(string, string, long)> expected, IReadOnlyDictionary<string, long> counts, string field)
    {
        foreach (var (urn, count) in counts)
        {
            if (count > 0)
            {
                expected.Add((urn, field, count));
            }
        }
    }
}
