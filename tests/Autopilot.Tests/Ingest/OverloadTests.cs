using System.Net;
using System.Text;
using System.Text.Json;

namespace Autopilot.Host.Tests.Ingest;

/// <summary>When the write-ahead log cannot take more, requests are refused with a retry hint and nothing acknowledged is lost.</summary>
public sealed class OverloadTests
{
    [Fact]
    public async Task WalOverloaded_RefusesWithRetryAfter_AndCountsEveryAcknowledgedItem()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Ingest.WalSegmentBytes = 4096;
            o.Ingest.WalMaxBytes = 8192;
        });

        var body = LogsRequest(20);
        long acknowledged = 0;
        var refused = 0;
        string? retryAfter = null;

        // Bursts of 32 concurrent ~1.9 KiB requests against an 8 KiB log: appends queue up faster than the
        // inventory applies them, so the cap is hit.
        for (var burst = 0; burst < 20 && refused == 0; burst++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await server.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content);
                return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.ToString(), Body: await response.Content.ReadAsStringAsync());
            }));
            foreach (var (status, after, text) in responses)
            {
                if (status == HttpStatusCode.OK)
                {
                    acknowledged += 20;
                    continue;
                }

                // 503 / UNAVAILABLE when the log is at its size cap, 429 / RESOURCE_EXHAUSTED when its
                // group-commit queue is full: both are retryable overload answers.
                var rpc = JsonDocument.Parse(text).RootElement;
                var code = rpc.GetProperty("code").GetInt32();
                Assert.True((status, code) is (HttpStatusCode.ServiceUnavailable, 14) or (HttpStatusCode.TooManyRequests, 8), $"unexpected {status} {text}");
                Assert.Contains("write-ahead log", rpc.GetProperty("message").GetString(), StringComparison.Ordinal);
                retryAfter = after;
                refused++;
            }
        }

        Assert.True(refused > 0, "bursts of 32 concurrent requests never hit an 8 KiB log cap");
        Assert.Equal("1", retryAfter);
        Assert.True(acknowledged > 0);

        // The log frees space at its next checkpoint (at most a second later), so a retry succeeds.
        HttpStatusCode retried = default;
        for (var attempt = 0; attempt < 50 && retried != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(200);
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await server.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content);
            retried = response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, retried);
        acknowledged += 20;
        var asset = await server.WaitForAssetAsync("urn:autopilot:service:default:overload", "logs", acknowledged);
        Assert.Equal(acknowledged, asset.GetProperty("logs").GetInt64());
    }

    private static string LogsRequest(int records)
    {
        var sb = new StringBuilder("""{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"overload"}}]},"scopeLogs":[{"logRecords":[""");
        for (var i = 0; i < records; i++)
        {
            sb.Append(i > 0 ? "," : string.Empty).Append("""{"severityNumber":9,"body":{"stringValue":"payment accepted for order"}}""");
        }

        return sb.Append("]}]}]}").ToString();
    }
}
