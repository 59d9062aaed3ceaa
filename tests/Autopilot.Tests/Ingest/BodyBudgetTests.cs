using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Autopilot.Ingest.Grpc;

namespace Autopilot.Host.Tests.Ingest;

/// <summary>
/// Bodies are read before a request waits for a decode slot, so the bytes of bodies held in memory have a budget of
/// their own (<c>ingest.maxBufferedBytes</c>): past it a request is refused with a retry hint before its body is read,
/// however many connections and streams clients open.
/// </summary>
public sealed class BodyBudgetTests
{
    private const string LogsJson = """{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"body-budget"}}]},"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hello"}}]}]}]}""";

    [Fact]
    public async Task BudgetHeldByASlowUpload_HttpGets429AndGrpcResourceExhausted_ThenAcceptedOnceItIsRead()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Ingest.MaxRequestBytes = 64 * 1024;
            o.Ingest.MaxBufferedBytes = 64 * 1024;
        });
        var bodies = server.Server.Ingest.Bodies;

        // A client uploading a 40 KB body slowly: the server has taken the whole body's buffer from the budget.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slowClient = new HttpClient { BaseAddress = server.Http.BaseAddress };
        using var slowContent = new SlowContent(Encoding.UTF8.GetBytes("{\"resourceLogs\":["), 40_000, release.Task);
        slowContent.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var slow = slowClient.PostAsync(new Uri("/v1/logs", UriKind.Relative), slowContent);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (bodies.Used == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.InRange(bodies.Used, 40_000, 64 * 1024);

        // Another body does not fit next to it: refused at once, with the retry hint and the key to raise.
        using (var content = new StringContent(LogsJson, Encoding.UTF8, "application/json"))
        using (var refused = await server.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
            Assert.Contains("ingest.maxBufferedBytes", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (code, status) = await BadInputTests.GrpcRefusalCall(server, "/opentelemetry.proto.collector.logs.v1.LogsService/Export", BadInputTests.Frame(new byte[1000]));
        Assert.Equal("8", code);
        Assert.Equal(GrpcStatusCode.ResourceExhausted, status.Code);
        Assert.Equal(TimeSpan.FromSeconds(1), status.RetryDelay);
        Assert.Contains("ingest.maxBufferedBytes", status.Message, StringComparison.Ordinal);

        // The slow upload finishes (its JSON is cut short, so it is invalid, not refused) and gives its bytes back.
        release.SetResult();
        using (var finished = await slow)
        {
            Assert.Equal(HttpStatusCode.BadRequest, finished.StatusCode);
        }

        Assert.Equal(0, bodies.Used);
        using (var content = new StringContent(LogsJson, Encoding.UTF8, "application/json"))
        using (var accepted = await server.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await server.WaitForAssetAsync("urn:autopilot:service:default:body-budget", "logs", 1);
        Assert.Equal(0, bodies.Used);
    }

    /// <summary>Sends the first bytes of a body of <paramref name="total"/> bytes, then the rest once released.</summary>
    private sealed class SlowContent(byte[] first, int total, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(new byte[total - first.Length]);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = total;
            return true;
        }
    }
}
