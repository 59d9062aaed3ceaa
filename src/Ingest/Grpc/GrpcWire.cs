using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Autopilot.Ingest.Receivers;
using Microsoft.AspNetCore.Http;

namespace Autopilot.Ingest.Grpc;

/// <summary>
/// The small gRPC layer on Kestrel (HTTP/2 h2c): length-prefixed messages (1 byte compressed flag,
/// 4 bytes big-endian length), <c>grpc-encoding: gzip</c>, status in trailers, and trailers-only errors.
/// </summary>
public static class GrpcWire
{
    public const string ContentType = "application/grpc";

    /// <summary>True when the request looks like a gRPC call (HTTP/2 POST with a gRPC content type).</summary>
    public static bool IsGrpcRequest(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && request.ContentType is { } ct
        && ct.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the single request message of a unary call. Throws <see cref="GrpcException"/> with
    /// INVALID_ARGUMENT when it is larger than <paramref name="maxMessageBytes"/> (compressed or not) or
    /// the framing is broken, UNIMPLEMENTED for an unknown compression.
    /// </summary>
    public static async Task<byte[]> ReadUnaryRequestAsync(HttpRequest request, int maxMessageBytes, CancellationToken cancellationToken)
    {
        using var message = await ReadUnaryRequestBufferAsync(request, maxMessageBytes, cancellationToken);
        return message.Span.ToArray();
    }

    /// <summary>
    /// <see cref="ReadUnaryRequestAsync"/> into a pooled <see cref="RequestBuffer"/> (the caller disposes it), so a large
    /// message costs no allocation and can go to the write-ahead log without a copy.
    /// </summary>
    internal static async Task<RequestBuffer> ReadUnaryRequestBufferAsync(HttpRequest request, int maxMessageBytes, CancellationToken cancellationToken, BodyBudget? budget = null)
    {
        var reader = request.BodyReader;
        var head = await reader.ReadAtLeastAsync(5, cancellationToken);
        if (head.Buffer.Length < 5)
        {
            reader.AdvanceTo(head.Buffer.End);
            throw new GrpcException(GrpcStatusCode.InvalidArgument, "request has no gRPC message (expected a 5-byte frame header)");
        }

        var (compressed, length) = ReadFrameHeader(head.Buffer);
        reader.AdvanceTo(head.Buffer.GetPosition(5));
        if (compressed > 1)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, $"invalid gRPC frame: compressed flag is {compressed}, expected 0 or 1");
        }

        if (length > (uint)maxMessageBytes)
        {
            // INVALID_ARGUMENT rather than gRPC's usual RESOURCE_EXHAUSTED: OTLP clients must not retry it.
            throw new GrpcException(GrpcStatusCode.InvalidArgument, $"request message of {length} bytes exceeds the limit of {maxMessageBytes} bytes");
        }

        // Taken from the budget before the message is read: a refused request's message is read and dropped, never held.
        RequestBuffer payload;
        try
        {
            payload = RequestBuffer.Rent((int)length, budget);
        }
        catch (BodyBudget.ExceededException)
        {
            await RequestBody.DrainAsync(request.Body, length + 1, cancellationToken);
            throw;
        }

        try
        {
            while (payload.Length < length)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                var take = (int)Math.Min(buffer.Length, length - payload.Length);
                buffer.Slice(0, take).CopyTo(payload.GetSpan(take));
                payload.Advance(take);
                reader.AdvanceTo(buffer.GetPosition(take));
                if (payload.Length < length && read.IsCompleted)
                {
                    throw new GrpcException(GrpcStatusCode.InvalidArgument, $"request ended before the {length}-byte message announced by its frame header");
                }
            }

            var trailing = await reader.ReadAsync(cancellationToken);
            var extra = trailing.Buffer.Length;
            reader.AdvanceTo(trailing.Buffer.End);
            if (extra > 0)
            {
                throw new GrpcException(GrpcStatusCode.InvalidArgument, "unary call carried more than one request message");
            }

            if (compressed == 0)
            {
                return payload;
            }

            var encoding = request.Headers["grpc-encoding"].ToString();
            if (encoding.Length == 0 || string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase))
            {
                // The gRPC protocol: a compressed message without a grpc-encoding to decode it by is a protocol violation.
                throw new GrpcException(GrpcStatusCode.Internal, "the message's compressed flag is set but the request has no grpc-encoding header naming its compression; send grpc-encoding: gzip");
            }

            if (!string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase))
            {
                throw new GrpcException(GrpcStatusCode.Unimplemented, $"message compression '{encoding}' is not supported; use gzip or none");
            }

            try
            {
                using (payload)
                {
                    return BoundedDecompression.GunzipToBuffer(payload, maxMessageBytes, budget);
                }
            }
            catch (GrpcException e) when (e.Status.Code == GrpcStatusCode.ResourceExhausted)
            {
                throw new GrpcException(GrpcStatusCode.InvalidArgument, e.Message);
            }
        }
        catch
        {
            payload.Dispose();
            throw;
        }
    }

    /// <summary>Writes one response message and an OK status in trailers.</summary>
    public static async Task WriteUnaryResponseAsync(HttpResponse response, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.Span.CopyTo(frame.AsSpan(5));
        await response.Body.WriteAsync(frame, cancellationToken);
        response.AppendTrailer("grpc-status", "0");
    }

    /// <summary>
    /// Writes one response message, gzip-compressed when <paramref name="gzip"/> (then with <c>grpc-encoding: gzip</c>),
    /// and an OK status in trailers.
    /// </summary>
    public static async Task WriteUnaryResponseAsync(HttpResponse response, ReadOnlyMemory<byte> message, bool gzip, CancellationToken cancellationToken)
    {
        if (!gzip)
        {
            await WriteUnaryResponseAsync(response, message, cancellationToken).ConfigureAwait(false);
            return;
        }

        StartResponse(response, gzip: true);
        var frame = new ArrayBufferWriter<byte>(message.Length + 64);
        AppendMessage(frame, message.Span, gzip: true);
        await response.Body.WriteAsync(frame.WrittenMemory, cancellationToken).ConfigureAwait(false);
        response.AppendTrailer("grpc-status", "0");
    }

    /// <summary>
    /// True when the response to this call may be gzip-compressed: the client compressed its own message
    /// with gzip (<c>grpc-encoding</c>) and lists gzip in <c>grpc-accept-encoding</c>. Answering in kind keeps
    /// responses uncompressed for clients that never asked for compression.
    /// </summary>
    public static bool WantsGzipResponse(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Headers["grpc-encoding"].ToString(), "gzip", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var value in request.Headers["grpc-accept-encoding"])
        {
            foreach (var part in (value ?? string.Empty).Split(','))
            {
                if (part.Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Status 200, <c>application/grpc</c> and, for compressed messages, <c>grpc-encoding: gzip</c>; before the first byte of a response.</summary>
    public static void StartResponse(HttpResponse response, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        if (gzip)
        {
            response.Headers["grpc-encoding"] = "gzip";
        }
    }

    /// <summary>
    /// Appends one length-prefixed message to <paramref name="output"/>, gzip-compressed (flag 1) when
    /// <paramref name="gzip"/>, so a stream can send several messages in one write.
    /// </summary>
    public static void AppendMessage(IBufferWriter<byte> output, ReadOnlySpan<byte> message, bool gzip)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (gzip)
        {
            using var compressed = new MemoryStream();
            using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                zip.Write(message);
            }

            message = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
            AppendFrame(output, message, 1);
            return;
        }

        AppendFrame(output, message, 0);
    }

    /// <summary>Writes one message of a server-streaming call (status comes later via <see cref="CompleteStream"/>).</summary>
    public static async Task WriteStreamMessageAsync(HttpResponse response, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType;
        }

        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.Span.CopyTo(frame.AsSpan(5));
        await response.Body.WriteAsync(frame, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>Ends a streaming call with a status in trailers.</summary>
    public static void CompleteStream(HttpResponse response, RpcStatus status)
    {
        response.AppendTrailer("grpc-status", ((int)status.Code).ToString(CultureInfo.InvariantCulture));
        if (status.Message.Length > 0)
        {
            response.AppendTrailer("grpc-message", EncodeMessage(status.Message));
        }
    }

    /// <summary>A trailers-only error response: grpc-status and grpc-message in the headers, no body.</summary>
    public static void WriteError(HttpResponse response, RpcStatus status)
    {
        if (response.HasStarted)
        {
            CompleteStream(response, status);
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers["grpc-status"] = ((int)status.Code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = EncodeMessage(status.Message);
        if (status.RetryDelay is not null)
        {
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToProtobuf()).TrimEnd('=');
        }
    }

    /// <summary>Percent-encodes '%' and every byte outside 0x20–0x7E of the UTF-8 message, as the gRPC spec asks.</summary>
    public static string EncodeMessage(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E or (byte)'%')
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }

        return sb.ToString();
    }

    private static void AppendFrame(IBufferWriter<byte> output, ReadOnlySpan<byte> message, byte flag)
    {
        var span = output.GetSpan(5 + message.Length);
        span[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)message.Length);
        message.CopyTo(span[5..]);
        output.Advance(5 + message.Length);
    }

    private static (byte Compressed, uint Length) ReadFrameHeader(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[5];
        buffer.Slice(0, 5).CopyTo(header);
        return (header[0], BinaryPrimitives.ReadUInt32BigEndian(header[1..]));
    }
}
