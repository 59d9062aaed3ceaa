using System.Globalization;
using System.Net;
using System.Text;

namespace Autopilot.Host.Tests.Rca.Grpc;

/// <summary>
/// Spans of one service as an exporter posts them (OTLP/HTTP JSON): a minute in which most requests fail, then
/// a quiet batch two minutes later whose event time moves the watermark past that minute, so the real
/// <c>dq.error_rate</c> engine files a finding and the correlator opens an incident for the service.
/// </summary>
internal static class ErrorBurst
{
    private const long Second = 1_000_000_000;

    public static string Urn(string service) => "urn:autopilot:service:default:" + service;

    public static async Task PostAsync(HttpClient http, string service, long start, int seed)
    {
        await PostSpansAsync(http, service, start, spans: 30, errors: 20, seed);
        await PostSpansAsync(http, service, start + (120 * Second), spans: 10, errors: 0, seed + 1);
    }

    private static async Task PostSpansAsync(HttpClient http, string service, long start, int spans, int errors, int seed)
    {
        var sb = new StringBuilder("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"")
            .Append(service).Append("\"}}]},\"scopeSpans\":[{\"spans\":[");
        for (var i = 0; i < spans; i++)
        {
            var begin = start + (i * Second);
            sb.Append(i > 0 ? "," : string.Empty)
              .Append(CultureInfo.InvariantCulture, $"{{\"traceId\":\"{seed:x8}{i:x8}00000000000000ab\",\"spanId\":\"{i + 1:x16}\",\"name\":\"GET /stock\",\"kind\":2,")
              .Append(CultureInfo.InvariantCulture, $"\"startTimeUnixNano\":\"{begin}\",\"endTimeUnixNano\":\"{begin + 3_000_000}\",\"status\":{{\"code\":{(i < errors ? 2 : 1)}}}}}");
        }

        sb.Append("]}]}]}");
        using var content = new StringContent(sb.ToString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
