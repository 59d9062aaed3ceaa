using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Autopilot.Host.Tests.Graph;

/// <summary>Reads <c>GET /api/graph</c> and posts client/server span pairs as OTLP/HTTP JSON, as an exporter would.</summary>
internal static class GraphApi
{
    public const string Frontend = "urn:autopilot:service:graph:frontend";
    public const string Checkout = "urn:autopilot:service:graph:checkout";
    private const long Second = 1_000_000_000;

    public static async Task<JsonElement> GetAsync(HttpClient http, string query)
    {
        using var response = await http.GetAsync(new Uri("/api/graph?" + query, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/graph?{query}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>As <see cref="GetAsync"/>, but null while the graph does not have the URN yet (404).</summary>
    public static async Task<JsonElement?> TryGetAsync(HttpClient http, string query)
    {
        using var response = await http.GetAsync(new Uri("/api/graph?" + query, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/graph?{query}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The edge <paramref name="from"/> → <paramref name="to"/> of <paramref name="kind"/> in a response, or null.</summary>
    public static JsonElement? Edge(JsonElement graph, string from, string to, string kind)
    {
        foreach (var edge in graph.GetProperty("edges").EnumerateArray())
        {
            if (edge.GetProperty("from").GetString() == from && edge.GetProperty("to").GetString() == to && edge.GetProperty("kind").GetString() == kind)
            {
                return edge;
            }
        }

        return null;
    }

    public static long Requests(JsonElement? edge) => edge?.GetProperty("stats").GetProperty("requests").GetInt64() ?? 0;

    /// <summary>Requests counted on the frontend → checkout calls edge (0 when there is none yet).</summary>
    public static async Task<long> CallsAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/api/graph?depth=1&urn=" + Uri.EscapeDataString(Frontend), UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;
        }

        var graph = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return Requests(Edge(graph, Frontend, Checkout, "calls"));
    }

    /// <summary>Posts <paramref name="pairs"/> frontend → checkout calls (client and server span in one request), starting at <paramref name="start"/>.</summary>
    public static async Task PostPairsAsync(HttpClient http, long start, int pairs, int seed)
    {
        var client = new StringBuilder();
        var server = new StringBuilder();
        for (var i = 0; i < pairs; i++)
        {
            var begin = start + (i * Second);
            var trace = $"{seed:x8}{i:x8}00000000000000aa";
            var clientId = $"{seed:x8}{(i * 2) + 1:x8}";
            var serverId = $"{seed:x8}{(i * 2) + 2:x8}";
            client.Append(i > 0 ? "," : string.Empty).Append(CultureInfo.InvariantCulture,
                $"{{\"traceId\":\"{trace}\",\"spanId\":\"{clientId}\",\"name\":\"POST /checkout\",\"kind\":3,\"startTimeUnixNano\":\"{begin}\",\"endTimeUnixNano\":\"{begin + 5_000_000}\"}}");
            server.Append(i > 0 ? "," : string.Empty).Append(CultureInfo.InvariantCulture,
                $"{{\"traceId\":\"{trace}\",\"spanId\":\"{serverId}\",\"parentSpanId\":\"{clientId}\",\"name\":\"POST /checkout\",\"kind\":2,\"startTimeUnixNano\":\"{begin + 1_000_000}\",\"endTimeUnixNano\":\"{begin + 4_000_000}\"}}");
        }

        var json = "{\"resourceSpans\":[" + Resource("frontend", client.ToString()) + "," + Resource("checkout", server.ToString()) + "]}";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Resource(string service, string spans) =>
        "{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" + service + "\"}},"
        + "{\"key\":\"deployment.environment.name\",\"value\":{\"stringValue\":\"graph\"}}]},\"scopeSpans\":[{\"spans\":[" + spans + "]}]}";
}
