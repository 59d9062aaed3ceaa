using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Autopilot.Ingest.Grpc;

namespace Autopilot.Host.Tests.Ingest;

/// <summary>Past the number of requests it reads and decodes at once, the server refuses quickly with a retry hint.</summary>
public sealed class AdmissionTests
{
    private const string LogsJson = """{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"admission"}}]},"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hello"}}]}]}]}""";

    [Fact]
    public async Task AllSlotsBusy_HttpGets429AndGrpcResourceExhaustedWithRetryInfo_ThenTheHeldRequestSucceeds()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Ingest.MaxConcurrentRequests = 1;
            o.Ingest.AdmissionWait = TimeSpan.Zero;
        });

        // A client that sends half its body and then stalls holds the only slot.
        var body = Encoding.UTF8.GetBytes(LogsJson);
        var slow = new StallingContent(body);
        using var slowClient = new HttpClient { BaseAddress = server.HttpEndpoint, Timeout = TimeSpan.FromSeconds(60) };
        var held = slowClient.PostAsync(new Uri("/v1/logs", UriKind.Relative), slow);
        await slow.Started.WaitAsync(TimeSpan.FromSeconds(30));

        HttpResponseMessage? refused = null;
        for (var attempt = 0; attempt < 100 && refused is null; attempt++)
        {
            using var content = new StringContent(LogsJson, Encoding.UTF8, "application/json");
            var response = await server.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                response.Dispose();
                await Task.Delay(20);
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
            Assert.Contains("already being decoded", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var client = new HttpClient())
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.GrpcEndpoint, "/opentelemetry.proto.collector.logs.v1.LogsService/Export"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(BadInputTests.Frame([])),
        })
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            using var response = await client.SendAsync(request);
            Assert.Equal("8", response.Headers.GetValues("grpc-status").Single());
            var details = response.Headers.GetValues("grpc-status-details-bin").Single();
            var status = RpcStatus.FromProtobuf(Convert.FromBase64String(details.PadRight(details.Length + ((4 - (details.Length % 4)) % 4), '=')));
            Assert.Equal(GrpcStatusCode.ResourceExhausted, status.Code);
            Assert.Equal(TimeSpan.FromSeconds(1), status.RetryDelay);
        }

        slow.Release();
        using var heldResponse = await held.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, heldResponse.StatusCode);
        await server.WaitForAssetAsync("urn:autopilot:service:default:admission", "logs", 1);
    }

    private sealed class StallingContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StallingContent(byte[] body)
        {
            _body = body;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
            Headers.ContentLength = body.Length;
        }

        public Task Started => _started.Task;

        public void Release() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = _body.Length / 2;
            await stream.WriteAsync(_body.AsMemory(0, half));
            await stream.FlushAsync();
            _started.TrySetResult();
            await _release.Task;
            await stream.WriteAsync(_body.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }
}
