using System.Net;
using System.Net.Http.Headers;

namespace Autopilot.LoadGen;

/// <summary>Remote write 1.0 over HTTP/1.1: POST, <c>Content-Encoding: snappy</c>, 2xx is success.</summary>
internal sealed class RemoteWriteTarget : ITarget
{
    private static readonly MediaTypeHeaderValue s_protobuf = new("application/x-protobuf");
    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly byte[][][] _bodies;
    private readonly int _samplesPerRequest;

    public RemoteWriteTarget(HttpClient http, Uri uri, byte[][][] bodies, int samplesPerRequest)
    {
        _http = http;
        _uri = uri;
        _bodies = bodies;
        _samplesPerRequest = samplesPerRequest;
    }

    /// <summary>Status and body of the first refusal, to say why in the report.</summary>
    public string? FirstError { get; private set; }

    public bool HasRequest(int worker, long sequence) => sequence < _bodies[worker].Length;

    public int ItemsIn(int worker, long sequence) => _samplesPerRequest;

    public async Task<Outcome> SendAsync(int worker, long sequence, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(_bodies[worker][sequence]),
        };
        request.Content.Headers.ContentType = s_protobuf;
        request.Content.Headers.ContentEncoding.Add("snappy");
        request.Headers.TryAddWithoutValidation("X-Prometheus-Remote-Write-Version", "0.1.0");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("autopilot-loadgen", "1.0"));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && FirstError is null)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            FirstError = $"{(int)response.StatusCode}: {body.Trim()}";
        }

        return (int)response.StatusCode switch
        {
            >= 200 and < 300 => Outcome.Ok,
            429 => Outcome.ResourceExhausted,
            503 => Outcome.Unavailable,
            _ => Outcome.Other,
        };
    }
}
