using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Autopilot.Host.Tests.Engines;
using Autopilot.Host.Tests.Ingest;
using Autopilot.Rca.Graph;

namespace Autopilot.Host.Tests.Rca;

/// <summary>
/// One real server for the RCA tests: checkout calls payments; both fail in the same traces for a minute (sent as
/// OTLP/HTTP JSON, as an exporter would), the real engines turn that into <c>dq.error_rate</c> findings and one
/// incident. The asset graph gets the call edge and a deploy of payments two minutes before (what the graph
/// builder will record from spans and <c>service.version</c>; it is not on this branch yet).
/// </summary>
public sealed class RcaServerFixture : IAsyncLifetime
{
    public const string Checkout = "urn:autopilot:service:default:rca-checkout";
    public const string Payments = "urn:autopilot:service:default:rca-payments";
    private const long Second = 1_000_000_000;
    private const long Minute = 60 * Second;
    private TestServer? _server;

    internal TestServer Server => _server ?? throw new InvalidOperationException("not started");

    public string IncidentId { get; private set; } = string.Empty;

    public long T0 { get; private set; }

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        T0 = SpanFeed.BaseTime();
        await PostAsync(Server.Http, T0, spans: 30, errors: 20);
        await PostAsync(Server.Http, T0 + (2 * Minute), spans: 10, errors: 0);

        await SpanFeed.WaitUntilAsync(async () => (await IncidentAsync()) is not null, "one incident on both services");
        IncidentId = (await IncidentAsync())!;

        var graph = (AssetGraph)Server.Server.Runtime.Graph;
        graph.UpsertNode(Checkout, "service", T0 - (60 * Minute));
        graph.UpsertNode(Payments, "service", T0 - (60 * Minute));
        graph.ObserveEdge(Checkout, Payments, EdgeKind.Calls, T0 - (60 * Minute), new EdgeStats(1000, 2, 20_000, 40));
        graph.AddChange(new ChangeEvent(Payments, "deploy", T0 - (2 * Minute), "7.1.0", "7.2.0", "rca-payments 7.1.0 → 7.2.0"));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task<string?> IncidentAsync()
    {
        using var doc = JsonDocument.Parse(await Server.Http.GetStringAsync(new Uri("/api/incidents?status=open", UriKind.Relative)));
        foreach (var incident in doc.RootElement.GetProperty("incidents").EnumerateArray())
        {
            var urns = incident.GetProperty("affectedUrns").EnumerateArray().Select(u => u.GetString()).ToList();
            if (urns.Contains(Checkout) && urns.Contains(Payments))
            {
                return incident.GetProperty("id").GetString();
            }
        }

        return null;
    }

    /// <summary>One request with both services: trace i has a checkout server span and the payments span it calls; the first <paramref name="errors"/> traces fail in both.</summary>
    private static async Task PostAsync(HttpClient http, long start, int spans, int errors)
    {
        var sb = new StringBuilder("{\"resourceSpans\":[");
        foreach (var (service, n) in new[] { ("rca-checkout", 1), ("rca-payments", 2) })
        {
            sb.Append(n > 1 ? "," : string.Empty)
              .Append("{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"").Append(service).Append("\"}}]},\"scopeSpans\":[{\"spans\":[");
            for (var i = 0; i < spans; i++)
            {
                var begin = start + (i * Second);
                var traceId = string.Create(CultureInfo.InvariantCulture, $"{start / Second:x16}{i:x16}");
                var spanId = string.Create(CultureInfo.InvariantCulture, $"{n:x8}{i:x8}");
                sb.Append(i > 0 ? "," : string.Empty)
                  .Append(CultureInfo.InvariantCulture, $"{{\"traceId\":\"{traceId}\",\"spanId\":\"{spanId}\",\"name\":\"{(n == 1 ? "POST /checkout" : "POST /charge")}\",\"kind\":2,")
                  .Append(CultureInfo.InvariantCulture, $"\"startTimeUnixNano\":\"{begin}\",\"endTimeUnixNano\":\"{begin + 5_000_000}\",\"status\":{{\"code\":{(i < errors ? 2 : 1)}}}}}");
            }

            sb.Append("]}]}");
        }

        sb.Append("]}");
        using var content = new StringContent(sb.ToString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
