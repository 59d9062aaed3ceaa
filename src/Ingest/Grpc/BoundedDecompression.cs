using System.IO.Compression;

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
}
