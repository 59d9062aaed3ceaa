using System.Globalization;
using System.Text.Json;

namespace Autopilot.Simulator.Accuracy;

/// <summary>Reads findings and incidents from a server's REST API (<c>/api/findings</c>, <c>/api/incidents</c>).</summary>
public static class AutopilotApi
{
    private const int Limit = 10_000;

    /// <summary>Findings whose time is at or after <paramref name="fromUnixNano"/>.</summary>
    public static async Task<IReadOnlyList<FindingView>> FindingsAsync(HttpClient api, long fromUnixNano, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var from = (fromUnixNano / 1_000_000).ToString(CultureInfo.InvariantCulture);
        using var doc = await GetAsync(api, $"/api/findings?from={from}&limit={Limit}", cancellationToken).ConfigureAwait(false);
        var list = new List<FindingView>();
        foreach (var f in doc.RootElement.GetProperty("findings").EnumerateArray())
        {
            list.Add(new FindingView(
                f.GetProperty("id").GetString()!,
                f.GetProperty("urn").GetString()!,
                f.GetProperty("kind").GetString()!,
                f.GetProperty("score").GetDouble(),
                f.GetProperty("timeUnixNano").GetInt64()));
        }

        return list;
    }

    /// <summary>Every incident the server keeps (up to 10,000), latest first.</summary>
    public static async Task<IReadOnlyList<IncidentView>> IncidentsAsync(HttpClient api, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var doc = await GetAsync(api, $"/api/incidents?limit={Limit}", cancellationToken).ConfigureAwait(false);
        var list = new List<IncidentView>();
        foreach (var i in doc.RootElement.GetProperty("incidents").EnumerateArray())
        {
            list.Add(new IncidentView(
                i.GetProperty("id").GetString()!,
                i.GetProperty("openedUnixNano").GetInt64(),
                [.. i.GetProperty("findingIds").EnumerateArray().Select(x => x.GetString()!)],
                [.. i.GetProperty("suspectedRoots").EnumerateArray().Select(r => r.GetProperty("urn").GetString()!)]));
        }

        return list;
    }

    internal static JsonElement? Property(JsonElement element, params string[] names)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (element.TryGetProperty(name, out var value))
            {
                return value;
            }
        }

        return null;
    }

    private static async Task<JsonDocument> GetAsync(HttpClient api, string path, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} answered {(int)response.StatusCode}: {body.Trim()}", null, response.StatusCode);
        }

        return JsonDocument.Parse(body);
    }
}
