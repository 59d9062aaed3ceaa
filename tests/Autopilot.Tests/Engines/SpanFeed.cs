using System.Globalization;
using System.Net;
using System.Text;

namespace Autopilot.Host.Tests.Engines;

/// <summary>OTLP/HTTP JSON span requests for one service, at chosen event times, posted like an exporter would.</summary>
internal static class SpanFeed
{
    public const string Service = "restart-test";
    public const string Urn = "urn:autopilot:service:default:" + Service;
    private const long Second = 1_000_000_000;

    /// <summary>A minute boundary an hour ago: old enough for every window to be in the past, recent enough to be accepted.</summary>
    public static long BaseTime()
    {
        var minute = 60 * Second;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        return now - (now % minute) - (60 * minute);
    }

    /// <summary>Posts <paramref name="spans"/> spans, the first <paramref name="errors"/> failed, one a second from <paramref name="start"/>.</summary>
    public static async Task PostAsync(HttpClient http, long start, int spans, int errors, int seed)
    {
        var sb = new StringBuilder("""{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":""" + "\"" + Service + "\"" + """}}]},"scopeSpans":[{"spans":[""");
        for (var i = 0; i < spans; i++)
        {
            var begin = start + (i * Second);
            var code = i < errors ? 2 : 1;
            sb.Append(i > 0 ? "," : string.Empty)
              .Append(CultureInfo.InvariantCulture, $"{{\"traceId\":\"{seed:x8}{i:x8}0000000000000001\",\"spanId\":\"{i + 1:x16}\",\"name\":\"GET /orders\",\"kind\":2,")
              .Append(CultureInfo.InvariantCulture, $"\"startTimeUnixNano\":\"{begin}\",\"endTimeUnixNano\":\"{begin + 1_000_000}\",\"status\":{{\"code\":{code}}}}}");
        }

        sb.Append("]}]}]}");
        using var content = new StringContent(sb.ToString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing with <paramref name="what"/> after the timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"timed out after {timeoutSeconds} s waiting for {what}");
    }
}
