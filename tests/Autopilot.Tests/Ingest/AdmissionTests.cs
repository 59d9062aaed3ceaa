using System.Net;
using System.Text;
using Autopilot.Ingest.Grpc;

namespace Autopilot.Host.Tests.Ingest;

/// <summary>Past the number of requests it reads and decodes at once, the server refuses quickly with a retry hint.</summary>
public sealed class AdmissionTests
{
    private const string LogsJson = """{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"admission"}}]},"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hello"}}]}]}]}""";

    [Fact]
    public async Task AllSlotsBusy_HttpGets429AndGrpcResourceExhaustedWithRetryInfo_ThenRequestsAreAcceptedAgain()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Ingest.MaxConcurrentRequests = 1;
            o.Ingest.AdmissionWait = TimeSpan.Zero;
        });

        // Another request being decoded holds the only slot (taken here through the same call the receivers make).
        var held = await server.Server.Ingest.AdmitAsync(Autopilot.Ingest.Receivers.IngestSignal.Logs, "test", CancellationToken.None);

        HttpResponseMessage? refused = null;
        using (var content = new StringContent(LogsJson, Encoding.UTF8, "application/json"))
        {
            refused = await server.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        using (refused)
        {
            Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
            Assert.Contains("already being decoded", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (code, status) = await BadInputTests.GrpcRefusalCall(server, "/opentelemetry.proto.collector.logs.v1.LogsService/Export", BadInputTests.Frame([]));
        Assert.Equal("8", code);
        Assert.Equal(GrpcStatusCode.ResourceExhausted, status.Code);
        Assert.Equal(TimeSpan.FromSeconds(1), status.RetryDelay);

        held.Dispose();
        using (var content = new StringContent(LogsJson, Encoding.UTF8, "application/json"))
        using (var accepted = await server.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await server.WaitForAssetAsync("urn:autopilot:service:default:admission", "logs", 1);
    }
}
