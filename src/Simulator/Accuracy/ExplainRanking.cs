using System.Net;
using System.Text.Json;

namespace Autopilot.Simulator.Accuracy;

/// <summary>
/// Scores the RCA analyzer's answer: <c>GET /api/incidents/{id}/explain</c> → <c>RcaAnswer.rootCauses[].urn</c>,
/// best first. When the server answers 404 (the route is not there, as before the RCA analyzer is merged; the
/// incident itself comes from the same server, so it exists) the incident's suspected roots are scored instead and
/// the source says so. Any other error answer fails the run with its message.
/// </summary>
public sealed class ExplainRanking : IRootRanking
{
    public const string SourceName = "explain";

    public string Name => SourceName;

    public async Task<RankedRoots> RankAsync(HttpClient api, IncidentView incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(incident);
        using var response = await api.GetAsync(new Uri("/api/incidents/" + Uri.EscapeDataString(incident.Id) + "/explain", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new RankedRoots(incident.SuspectedRoots, SuspectedRootsRanking.SourceName + " (explain: 404)");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET /api/incidents/{incident.Id}/explain answered {(int)response.StatusCode}: {Clip(body)}", null, response.StatusCode);
        }

        return new RankedRoots(Parse(body, incident.Id), SourceName);
    }

    /// <summary>The <c>rootCauses[].urn</c> of an RCA answer, in order.</summary>
    /// <exception cref="FormatException">The body is not an RCA answer.</exception>
    internal static IReadOnlyList<string> Parse(string body, string incidentId)
    {
        using var doc = JsonDocument.Parse(body);
        if (AutopilotApi.Property(doc.RootElement, "rootCauses", "root_causes") is not { ValueKind: JsonValueKind.Array } causes)
        {
            throw new FormatException($"GET /api/incidents/{incidentId}/explain: the answer has no rootCauses array: {Clip(body)}");
        }

        var urns = new List<string>();
        foreach (var cause in causes.EnumerateArray())
        {
            if (AutopilotApi.Property(cause, "urn") is { ValueKind: JsonValueKind.String } urn)
            {
                urns.Add(urn.GetString()!);
            }
        }

        return urns;
    }

    private static string Clip(string text) => text.Length > 300 ? text[..300] + "…" : text.Trim();
}
