using System.Globalization;
using System.Text.Json;

namespace Autopilot.Host.Commands.OnCall;

/// <summary>Instant queries against a Prometheus server's HTTP API (<c>GET /api/v1/query</c>).</summary>
internal sealed class PrometheusApi(Uri server) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// The sum of the instant vector <paramref name="query"/> returns at <paramref name="at"/>; 0 when it returns no
    /// series (no matching traffic). A scalar result is taken as is.
    /// </summary>
    public async Task<double> ScalarAsync(string query, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var url = $"/api/v1/query?query={Uri.EscapeDataString(query)}&time={(at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture)}";
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(new Uri(url, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new SourceException($"cannot reach Prometheus at {server}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SourceException($"Prometheus at {server} did not answer within {_http.Timeout.TotalSeconds:0} s", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonElement root;
            try
            {
                using var doc = JsonDocument.Parse(body);
                root = doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new SourceException($"Prometheus answered {(int)response.StatusCode} with something that is not JSON: {ServerApi.Shorten(body)}", e);
            }

            if (!response.IsSuccessStatusCode || root.GetProperty("status").GetString() != "success")
            {
                var error = root.TryGetProperty("error", out var e) ? e.GetString() : ServerApi.Shorten(body);
                throw new SourceException($"Prometheus rejected the query `{query}`: {error}");
            }

            var data = root.GetProperty("data");
            var result = data.GetProperty("result");
            return data.GetProperty("resultType").GetString() switch
            {
                "scalar" => Parse(result[1]),
                "vector" => result.EnumerateArray().Sum(s => Parse(s.GetProperty("value")[1])),
                var other => throw new SourceException($"the query `{query}` returns a {other}; it must return an instant vector or a scalar"),
            };
        }
    }

    public void Dispose() => _http.Dispose();

    private static double Parse(JsonElement value)
    {
        var text = value.GetString();
        return text switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }
}
