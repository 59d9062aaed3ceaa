using System.IO.Compression;
using Autopilot.Ingest.Receivers;

namespace Autopilot.Ingest.Grpc;

/// <summary>Gzip decompression that stops at a size cap, so a small "zip bomb" cannot exhaust memory.</summary>
public static class BoundedDecompression
{
    /// <summary>Decompresses <paramref name="compressed"/>; throws <see cref="GrpcException"/> (invalid argument or resource exhausted) naming the problem.</summary>
    public static byte[] Gunzip(ReadOnlyMemory<byte> compressed, int maxBytes)
    {
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > maxBytes)
                {
                    throw new GrpcException(GrpcStatusCode.ResourceExhausted, $"decompressed body exceeds the limit of {maxBytes} bytes");
                }

                output.Write(buffer, 0, read);
            }

            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, $"body is not valid gzip: {e.Message}");
        }
    }

    /// <summary>
    /// <see cref="Gunzip"/> from one pooled buffer into another (the caller disposes both), with the write-ahead log's
    /// reserve in front of the output like every <see cref="RequestBuffer"/>.
    /// </summary>
    internal static RequestBuffer GunzipToBuffer(RequestBuffer compressed, int maxBytes, BodyBudget? budget = null)
    {
        var output = RequestBuffer.Rent((int)Math.Min(compressed.Length * 4L, maxBytes), budget);
        try
        {
            using var input = compressed.OpenRead();
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            int read;
            while ((read = gzip.Read(output.GetSpan(64 * 1024))) > 0)
            {
                if (output.Length + read > maxBytes)
                {
                    throw new GrpcException(GrpcStatusCode.ResourceExhausted, $"decompressed body exceeds the limit of {maxBytes} bytes");
                }

                output.Advance(read);
            }

            return output;
        }
        catch (InvalidDataException e)
        {
            output.Dispose();
            throw new GrpcException(GrpcStatusCode.InvalidArgument, $"body is not valid gzip: {e.Message}");
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }
}
