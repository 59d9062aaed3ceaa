using System.Globalization;
using System.Text.Json;
using Autopilot.Simulator;
using Autopilot.Simulator.Accuracy;
using Autopilot.Simulator.Faults;

namespace Autopilot.Host.Bench;

/// <summary>
/// <c>bench rca --detail &lt;dir&gt;</c>: one JSON file per run with what a miss is diagnosed from: the fault and its
/// ground truth, every finding and incident the server kept (as the API returns them), the asset graph as of the
/// fault's onset and at the end, and the fault incident's explain answer (ranked root causes with scores and
/// reasons). Written while the run's server is still up.
/// </summary>
internal static class RcaRunDetail
{
    public static async Task WriteAsync(HttpClient api, Scenario scenario, RcaRunScore score, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var findings = await GetAsync(api, "/api/findings?limit=10000", cancellationToken).ConfigureAwait(false);
        var incidents = await GetAsync(api, "/api/incidents?limit=10000", cancellationToken).ConfigureAwait(false);
        var onset = (scenario.Onset - DateTimeOffset.UnixEpoch).Ticks * 100;
        var graphAtOnset = await GetAsync(api, string.Create(CultureInfo.InvariantCulture, $"/api/graph?limit=10000&at={onset / 1_000_000}"), cancellationToken).ConfigureAwait(false);
        var graphNow = await GetAsync(api, "/api/graph?limit=10000", cancellationToken).ConfigureAwait(false);
        var explain = score.IncidentId is { } id
            ? await GetAsync(api, "/api/incidents/" + Uri.EscapeDataString(id) + "/explain", cancellationToken).ConfigureAwait(false)
            : null;
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"run-{score.Run:D3}-seed-{score.Seed}.json"));
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteNumber("run", score.Run);
            json.WriteNumber("seed", score.Seed);
            json.WriteString("fault", FaultKinds.Name(score.Kind));
            json.WriteString("target", score.Target);
            json.WriteString("root_urn", score.RootUrn);
            json.WriteString("description", scenario.Fault.Description);
            json.WriteNumber("onset_unix_nano", onset);
            json.WriteStartArray("affected_urns");
            foreach (var urn in scenario.Fault.AffectedUrns)
            {
                json.WriteStringValue(urn);
            }

            json.WriteEndArray();
            if (score.IncidentId is not null)
            {
                json.WriteString("incident", score.IncidentId);
            }

            if (score.Rank is { } rank)
            {
                json.WriteNumber("rank", rank);
            }

            json.WritePropertyName("findings");
            json.WriteRawValue(findings);
            json.WritePropertyName("incidents");
            json.WriteRawValue(incidents);
            json.WritePropertyName("graph_at_onset");
            json.WriteRawValue(graphAtOnset);
            json.WritePropertyName("graph_now");
            json.WriteRawValue(graphNow);
            if (explain is not null)
            {
                json.WritePropertyName("explain");
                json.WriteRawValue(explain);
            }

            json.WriteEndObject();
        }
    }

    private static async Task<string> GetAsync(HttpClient api, string path, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? body : JsonSerializer.Serialize(new { status = (int)response.StatusCode, body });
    }
}
