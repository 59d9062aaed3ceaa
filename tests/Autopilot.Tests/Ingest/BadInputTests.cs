using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Autopilot.Ingest.Grpc;

namespace Autopilot.Host.Tests.Ingest;

/// <summary>Bad input gets a clear error naming the problem, and never takes the server down.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(o => o.Ingest.MaxRequestBytes = 64 * 1024);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task MalformedProtobuf_Is400WithAStatusNamingIt()
    {
        using var response = await PostAsync("/v1/traces", [0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01], "application/x-protobuf");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = RpcStatus.FromProtobuf(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(GrpcStatusCode.InvalidArgument, status.Code);
        Assert.Contains("protobuf", status.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MalformedJson_Is400WithAJsonStatus()
    {
        using var response = await PostAsync("/v1/logs", Encoding.UTF8.GetBytes("{\"resourceLogs\": [ {"), "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"code\":3", body, StringComparison.Ordinal);
        Assert.Contains("JSON", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task InvalidTraceId_IsRejectedNamingTheField()
    {
        const string json = """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz","spanId":"0102030405060708","name":"x"}]}]}]}""";
        using var response = await PostAsync("/v1/traces", Encoding.UTF8.GetBytes(json), "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("traceId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownEnum_IsRejectedNamingTheValue()
    {
        const string json = """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"x","kind":"SPAN_KIND_SIDEWAYS"}]}]}]}""";
        using var response = await PostAsync("/v1/traces", Encoding.UTF8.GetBytes(json), "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("SPAN_KIND_SIDEWAYS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongContentType_Is400NamingIt()
    {
        using var response = await PostAsync("/v1/metrics", Encoding.UTF8.GetBytes("hello"), "text/plain");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = RpcStatus.FromProtobuf(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("text/plain", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        using var response = await PostAsync("/v1/traces", new byte[65 * 1024], "application/x-protobuf");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task GzipBomb_Is413_NotAnOutOfMemory()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[10 * 1024 * 1024]);
        }

        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await _server.Http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task GzipBody_IsAccepted()
    {
        const string json = """{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"gz"}}]},"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hello"}}]}]}]}""";
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await _server.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        await _server.WaitForAssetAsync("urn:autopilot:service:default:gz", "logs", 1);
    }

    [Fact]
    public async Task Grpc_MalformedMessage_IsInvalidArgument()
    {
        var (status, message) = await GrpcCallAsync("/opentelemetry.proto.collector.trace.v1.TraceService/Export", Frame([0x0a, 0xff, 0xff]));
        Assert.Equal("3", status);
        Assert.Contains("protobuf", message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Grpc_OversizedMessage_IsInvalidArgumentNamingTheLimit()
    {
        var (status, message) = await GrpcCallAsync("/opentelemetry.proto.collector.logs.v1.LogsService/Export", Frame(new byte[70 * 1024]));
        Assert.Equal("3", status);
        Assert.Contains("limit", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_UnknownMethod_IsUnimplemented()
    {
        var (status, _) = await GrpcCallAsync("/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export", Frame([]));
        Assert.Equal("12", status);
    }

    [Theory]
    [InlineData(null, "13", "no grpc-encoding header")]
    [InlineData("identity", "13", "no grpc-encoding header")]
    [InlineData("snappy", "12", "compression 'snappy' is not supported")]
    public async Task Grpc_CompressedMessageWithoutGzipEncoding_NamesTheProblem(string? encoding, string expectedStatus, string expectedMessage)
    {
        // The gRPC protocol: a compressed flag without an encoding to undo it is a protocol violation (INTERNAL); an
        // encoding the server does not have is UNIMPLEMENTED.
        var (status, message) = await GrpcCall(_server, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", Gzip([]), token: null, encoding);
        Assert.Equal(expectedStatus, status);
        Assert.Contains(expectedMessage, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_TruncatedFrame_IsInvalidArgument()
    {
        var frame = Frame(new byte[100]);
        var (status, message) = await GrpcCallAsync("/opentelemetry.proto.collector.trace.v1.TraceService/Export", frame[..50]);
        Assert.Equal("3", status);
        Assert.Contains("ended before", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_GzipMessage_IsAcceptedAndCounted()
    {
        var request = new Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1.ExportTraceServiceRequest();
        var scope = new Autopilot.Ingest.Otlp.Proto.Trace.V1.ScopeSpans();
        for (var i = 1; i <= 3; i++)
        {
            scope.Spans.Add(new Autopilot.Ingest.Otlp.Proto.Trace.V1.Span
            {
                TraceId = Google.Protobuf.ByteString.CopyFrom(Enumerable.Repeat((byte)i, 16).ToArray()),
                SpanId = Google.Protobuf.ByteString.CopyFrom(Enumerable.Repeat((byte)i, 8).ToArray()),
                Name = "GET /",
            });
        }

        var resource = new Autopilot.Ingest.Otlp.Proto.Trace.V1.ResourceSpans
        {
            Resource = new Autopilot.Ingest.Otlp.Proto.Resource.V1.Resource
            {
                Attributes = { new Autopilot.Ingest.Otlp.Proto.Common.V1.KeyValue { Key = "service.name", Value = new() { StringValue = "grpcgz" } } },
            },
        };
        resource.ScopeSpans.Add(scope);
        request.ResourceSpans.Add(resource);

        var (status, message) = await GrpcCall(_server, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", Gzip(Google.Protobuf.MessageExtensions.ToByteArray(request)), token: null, encoding: "gzip");

        Assert.True(status == "0", message);
        await _server.WaitForAssetAsync("urn:autopilot:service:default:grpcgz", "spans", 3);
    }

    [Fact]
    public async Task Grpc_GzipBomb_IsInvalidArgumentNamingTheLimit()
    {
        var (status, message) = await GrpcCall(_server, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", Gzip(new byte[10 * 1024 * 1024]), token: null, encoding: "gzip");

        Assert.Equal("3", status);
        Assert.Contains("exceeds the limit", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fuzz_RandomBodies_NeverCrashTheServer()
    {
        var random = new Random(1234);
        string[] paths = ["/v1/traces", "/v1/metrics", "/v1/logs"];
        for (var i = 0; i < 200; i++)
        {
            var body = new byte[random.Next(0, 2048)];
            random.NextBytes(body);
            using var response = await PostAsync(paths[i % 3], body, i % 2 == 0 ? "application/x-protobuf" : "application/json");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"unexpected {response.StatusCode}");
        }

        using var health = await _server.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Metrics_CountInvalidRequests()
    {
        using var bad = await PostAsync("/v1/traces", [0xff], "application/x-protobuf");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var metrics = await _server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("autopilot_ingest_requests_total{outcome=\"invalid\",protocol=\"http\",signal=\"traces\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("autopilot_wal_bytes", metrics, StringComparison.Ordinal);
        Assert.Contains("autopilot_ingest_queue_fill", metrics, StringComparison.Ordinal);
        Assert.Contains("autopilot_pipeline_buffer_fill{graph=\"ingest\"", metrics, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await _server.Http.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    internal static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private Task<(string Status, string Message)> GrpcCallAsync(string path, byte[] frame) => GrpcCall(_server, path, frame, token: null);

    /// <summary>A gRPC frame with the compressed flag set, its message gzip-compressed.</summary>
    private static byte[] Gzip(byte[] message)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(message);
        }

        var frame = Frame(compressed.ToArray());
        frame[0] = 1;
        return frame;
    }

    private static HttpRequestMessage GrpcRequest(TestServer server, string path, byte[] frame)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.GrpcEndpoint, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        return request;
    }

    /// <summary>A gRPC call that the server refuses: its <c>grpc-status</c> and the <c>google.rpc.Status</c> of <c>grpc-status-details-bin</c>.</summary>
    internal static async Task<(string Status, RpcStatus Details)> GrpcRefusalCall(TestServer server, string path, byte[] frame)
    {
        using var client = new HttpClient();
        using var request = GrpcRequest(server, path, frame);
        using var response = await client.SendAsync(request);
        var details = response.Headers.GetValues("grpc-status-details-bin").Single();
        var padded = details.PadRight(details.Length + ((4 - (details.Length % 4)) % 4), '=');
        return (response.Headers.GetValues("grpc-status").Single(), RpcStatus.FromProtobuf(Convert.FromBase64String(padded)));
    }

    internal static async Task<(string Status, string Message)> GrpcCall(TestServer server, string path, byte[] frame, string? token, string? encoding = null)
    {
        using var client = new HttpClient();
        using var request = GrpcRequest(server, path, frame);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        _ = await response.Content.ReadAsByteArrayAsync();
        string? Find(string name) =>
            response.Headers.TryGetValues(name, out var h) ? h.First()
            : response.TrailingHeaders.TryGetValues(name, out var t) ? t.First() : null;
        return (Find("grpc-status") ?? "missing", Uri.UnescapeDataString(Find("grpc-message") ?? string.Empty));
    }
}
