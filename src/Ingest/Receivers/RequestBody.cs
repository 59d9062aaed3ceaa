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
        RequestBuffer? body = null;
        try
        {
            body = RequestBuffer.Rent((int)Math.Min(request.ContentLength ?? 64 * 1024, maxBytes), budget);
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
        catch (BodyBudget.ExceededException)
        {
            // Refused when renting or growing the buffer: drop what is held, then the rest of the body.
            body?.Dispose();
            await DrainAsync(request.Body, maxBytes, cancellationToken);
            throw;
        }
        catch
        {
            body?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads and drops what is left of a refused body (at most <paramref name="maxBytes"/> more), through a small scratch
    /// buffer: the client gets its refusal as a whole response instead of a reset stream in the middle of its upload, and
    /// the memory stays the scratch's.
    /// </summary>
    internal static async Task DrainAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long drained = 0;
            int read;
            while (drained <= maxBytes && (read = await body.ReadAsync(scratch, cancellationToken)) > 0)
            {
                drained += read;
            }
        }
        catch (Exception e) when (e is IOException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // The client went away or broke the body: the refusal stands either way.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
