using System.Net;
using System.Net.Http.Headers;

namespace Autopilot.LoadGen;

/// <summary>
/// OTLP/gRPC <c>TraceService/Export</c> over raw HTTP/2 prior knowledge (h2c): a 5-byte framed
/// message, <c>grpc-status</c> read from the headers (trailers-only error) or from the trailers.
/// </summary>
internal sealed class GrpcTraceTarget : ITarget
{
    private static readonly MediaTypeHeaderValue s_grpc = new("application/grpc");
    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly TracePayloads.Payload[] _payloads;

    public GrpcTraceTarget(HttpClient http, int port, TracePayloads.Payload[] payloads)
    {
        _http = http;
        _uri = new Uri($"http://127.0.0.1:{port}/opentelemetry.proto.collector.trace.v1.TraceService/Export");
        _payloads = payloads;
    }

    public bool HasRequest(int worker, long sequence) => true;

    public int ItemsIn(int worker, long sequence) => _payloads[Index(worker, sequence)].Spans;

    public static SocketsHttpHandler CreateHandler() => new()
    {
        // Kestrel allows 100 streams per connection; past that the client opens another connection
        // instead of queueing, so the offered rate is really offered.
        EnableMultipleHttp2Connections = true,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    };

    public async Task<Outcome> SendAsync(int worker, long sequence, CancellationToken cancellationToken)
    {
        var payloadIndex = Index(worker, sequence);
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(_payloads[payloadIndex].GrpcFrame),
        };
        request.Content.Headers.ContentType = s_grpc;
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return Outcome.Other;
        }

        var status = Header(response.Headers);
        if (status is null)
        {
            // A normal answer: the message, then grpc-status in the trailers once the body is read to its end.
            await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            status = Header(response.TrailingHeaders);
        }

        return status switch
        {
            "0" => Outcome.Ok,
            "8" => Outcome.ResourceExhausted,
            "14" => Outcome.Unavailable,
            _ => Outcome.Other,
        };
    }

    // Workers start at different payloads so concurrent requests differ.
    private int Index(int worker, long sequence) => (int)((sequence + (worker * 7L)) % _payloads.Length);

    private static string? Header(HttpHeaders headers) =>
        headers.TryGetValues("grpc-status", out var values) ? values.FirstOrDefault() : null;
}
