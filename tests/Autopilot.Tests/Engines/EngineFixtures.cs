using System.Globalization;
using System.Text;

namespace Autopilot.Host.Tests.Engines;

/// <summary>OTLP/JSON traces with explicit timestamps, so event time (not the wall clock) drives the engines.</summary>
internal static class EngineFixtures
{
    public static readonly long T0 = DateTimeOffset.Parse("2026-11-20T10:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() * 1_000_000;

    /// <summary>
    /// checkout: 40 spans in the first minute, every other one failing; then healthy spans up to
    /// <paramref name="minutes"/> minutes, which move the watermark past the first window.
    /// </summary>
    public static string FailingCheckout(int minutes = 3)
    {
        var spans = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            spans.Add(Span(T0 + (i * 1_000_000_000L), error: i % 2 == 0, i));
        }

        for (var s = 60; s < minutes * 60; s += 2)
        {
            spans.Add(Span(T0 + (s * 1_000_000_000L), error: false, 1000 + s));
        }

        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"checkout\"}},{\"key\":\"deployment.environment.name\",\"value\":{\"stringValue\":\"prod\"}}]},\"scopeSpans\":[{\"spans\":["
            + string.Join(",", spans) + "]}]}]}";
    }

    private static string Span(long start, bool error, int n)
    {
        var traceId = (n + 1).ToString("x32", CultureInfo.InvariantCulture);
        var spanId = (n + 1).ToString("x16", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("{\"traceId\":\"").Append(traceId).Append("\",\"spanId\":\"").Append(spanId)
            .Append("\",\"name\":\"POST /checkout\",\"kind\":2,\"startTimeUnixNano\":\"").Append(start)
            .Append("\",\"endTimeUnixNano\":\"").Append(start + 20_000_000).Append('"');
        if (error)
        {
            sb.Append(",\"status\":{\"code\":2,\"message\":\"payment declined\"}");
        }

        return sb.Append('}').ToString();
    }
}
