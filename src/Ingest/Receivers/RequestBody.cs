using Autopilot.Ingest.Grpc;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Autopilot.Ingest.Receivers;

/// <summary>Reads an HTTP request body under a size cap and removes gzip transport compression (also capped).</summary>
internal static class RequestBody
{
    public sealed class TooLargeException(string message) : Exception(message);

    /// <summary>The body in a pooled <see cref="RequestBuffer"/>; the caller disposes it.</summary>
    public static async Task<RequestBuffer> ReadAsync(HttpRequest request, int maxBytes, bool removeGzip, CancellationToken cancellationToken, BodyBudget? budget = null)
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

        // Sized by Content-Length (already checked against the cap) when there is one; otherwise grown as data arrives.
        var body = RequestBuffer.Rent((int)Math.Min(request.ContentLength ?? 64 * 1024, maxBytes), budget);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(body.GetMemory(1), cancellationToken)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    throw new TooLargeException($"request body exceeds the limit of {maxBytes} bytes");
                }

                body.Advance(read);
            }

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
                using (body)
                {
                    return BoundedDecompression.GunzipToBuffer(body, maxBytes, budget);
                }
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
        catch
        {
            body.Dispose();
            throw;
        }
    }
}
