using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Autopilot.Host.Tests.Rca.Grpc;

/// <summary>
/// Our own gRPC client for the RCA service over a raw <see cref="HttpClient"/> (HTTP/2 with prior knowledge:
/// <c>Version20</c> + <c>RequestVersionExact</c>), so the tests see the wire: frames, compression flags,
/// headers and trailers. Grpc.Net.Client does not restore here; the Node test is the independent client.
/// </summary>
internal sealed class RcaGrpcClient(Uri grpcEndpoint, string? token = null) : IDisposable
{
    public const string Service = "/autopilot.rca.v1.RcaService/";

    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>A unary call: the request as one frame (gzip-compressed when <paramref name="gzip"/>, and then asking for a gzip answer).</summary>
    public async Task<GrpcReply<TReply>> CallAsync<TReply>(string method, IMessage request, MessageParser<TReply> parser, bool gzip = false)
        where TReply : IMessage<TReply>
    {
        var frame = gzip ? Frame(Gzip(request.ToByteArray()), compressed: true) : Frame(request.ToByteArray(), compressed: false);
        var raw = await CallRawAsync(method, frame, gzip ? "gzip" : null, gzip ? "gzip" : null);
        var reply = raw.Messages.Count == 1 ? parser.ParseFrom(raw.Messages[0]) : default;
        return new GrpcReply<TReply>(raw.Status, raw.Message, reply, raw);
    }

    /// <summary>Any bytes as the request body, with the given <c>grpc-encoding</c> and <c>grpc-accept-encoding</c>.</summary>
    public async Task<RawReply> CallRawAsync(string method, byte[] body, string? encoding = null, string? acceptEncoding = null)
    {
        using var request = Request(method, body, encoding, acceptEncoding);
        using var response = await _http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var compressedResponse = Header(response, "grpc-encoding") == "gzip";
        var messages = new List<byte[]>();
        var flags = new List<byte>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            Assert.True(bytes.Length - offset >= 5, "a truncated gRPC frame header");
            var flag = bytes[offset];
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset + 1));
            var payload = bytes.AsSpan(offset + 5, length).ToArray();
            Assert.True(flag == 0 || compressedResponse, "a compressed frame without grpc-encoding");
            messages.Add(flag == 1 ? Gunzip(payload) : payload);
            flags.Add(flag);
            offset += 5 + length;
        }

        return new RawReply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, Header(response, "grpc-status") ?? "missing",
            Uri.UnescapeDataString(Header(response, "grpc-message") ?? string.Empty), Header(response, "grpc-encoding"), messages, flags,
            !response.TrailingHeaders.Any() && response.Headers.Contains("grpc-status"));
    }

    /// <summary>Starts a server-streaming call; read its messages with <see cref="GrpcStream.ReadAsync"/>, dispose to cancel.</summary>
    public async Task<GrpcStream> StreamAsync(string method, IMessage request, bool gzip = false)
    {
        var frame = gzip ? Frame(Gzip(request.ToByteArray()), compressed: true) : Frame(request.ToByteArray(), compressed: false);
        var message = Request(method, frame, gzip ? "gzip" : null, gzip ? "gzip" : null);
        var cancel = new CancellationTokenSource();
        var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        return new GrpcStream(message, response, await response.Content.ReadAsStreamAsync(cancel.Token), cancel);
    }

    public static byte[] Frame(byte[] message, bool compressed)
    {
        var frame = new byte[5 + message.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public void Dispose() => _http.Dispose();

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var h) ? h.First()
        : response.TrailingHeaders.TryGetValues(name, out var t) ? t.First() : null;

    private HttpRequestMessage Request(string method, byte[] body, string? encoding, string? acceptEncoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(grpcEndpoint, method.StartsWith('/') ? method : Service + method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-accept-encoding", acceptEncoding);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}

/// <summary>What came back from a unary call, as the wire said it.</summary>
internal sealed record RawReply(HttpStatusCode HttpStatus, string? ContentType, string Status, string Message, string? Encoding, IReadOnlyList<byte[]> Messages, IReadOnlyList<byte> Flags, bool TrailersOnly);

/// <summary>A unary reply: the status, its message and the parsed answer (when there was exactly one message).</summary>
internal sealed record GrpcReply<T>(string Status, string Message, T? Reply, RawReply Raw);
