using Autopilot.Ingest.Grpc;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Autopilot.Ingest.Receivers;

/// <summary>Reads an HTTP request body under a size cap and removes gzip transport compression (also capped).</summary>
internal static class RequestBody
{
    public sealed class TooLargeException(string message) : Exception(message);

    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, bool removeGzip, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new TooLargeException($"request body of {request.ContentLength} bytes exceeds the limit of {maxBytes} bytes");
        }

        // Let this cap, not Kestrel's default, decide.
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = (long)maxBytes + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new TooLargeException($"request body exceeds the limit of {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        var body = buffer.ToArray();
        if (!removeGzip)
        {
            return body;
        }

        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        if (!encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidRequestException($"Content-Encoding '{encoding}' is not supported; use gzip or none");
        }

        try
        {
            return BoundedDecompression.Gunzip(body, maxBytes);
        }
        catch (GrpcException e) when (e.Status.Code == GrpcStatusCode.ResourceExhausted)
        {
            throw new TooLargeException(e.Message);
        }
        catch (GrpcException e)
        {
            throw new InvalidRequestException(e.Message);
        }
    }
}
