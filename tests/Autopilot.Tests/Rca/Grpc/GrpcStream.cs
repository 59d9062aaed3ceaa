using System.Buffers.Binary;
using Autopilot.Rca.Grpc.V1;

namespace Autopilot.Host.Tests.Rca.Grpc;

/// <summary>The client's side of a server-streaming call: messages as they arrive, then the status from the trailers.</summary>
internal sealed class GrpcStream(HttpRequestMessage request, HttpResponseMessage response, Stream body, CancellationTokenSource cancel) : IAsyncDisposable
{
    public HttpResponseMessage Response => response;

    /// <summary>The grpc-status once the stream has ended (from the trailers, or the headers of a trailers-only answer).</summary>
    public string? Status => RcaGrpcClient.Header(response, "grpc-status");

    public string Message => Uri.UnescapeDataString(RcaGrpcClient.Header(response, "grpc-message") ?? string.Empty);

    /// <summary>The next message, or null at the end of the stream; fails the test after <paramref name="timeoutSeconds"/>.</summary>
    public async Task<WatchIncidentsResponse?> ReadAsync(int timeoutSeconds = 60)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        var header = new byte[5];
        try
        {
            if (!await ReadExactlyAsync(header, timeout.Token))
            {
                return null;
            }

            var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
            Assert.True(await ReadExactlyAsync(payload, timeout.Token), "the stream ended inside a message");
            if (header[0] == 1)
            {
                Assert.Equal("gzip", RcaGrpcClient.Header(response, "grpc-encoding"));
                payload = RcaGrpcClient.Gunzip(payload);
            }

            return WatchIncidentsResponse.Parser.ParseFrom(payload);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            Assert.Fail($"no message within {timeoutSeconds} s");
            return null;
        }
    }

    /// <summary>Reads until a message satisfies <paramref name="match"/>, returning every message read on the way (it last).</summary>
    public async Task<List<WatchIncidentsResponse>> ReadUntilAsync(Func<WatchIncidentsResponse, bool> match, string what, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        var read = new List<WatchIncidentsResponse>();
        while (true)
        {
            var left = (int)Math.Ceiling((deadline - DateTime.UtcNow).TotalSeconds);
            Assert.True(left > 0, $"timed out after {timeoutSeconds} s waiting for {what}; read {read.Count} messages: {string.Join(", ", read.Select(m => m.Type))}");
            var message = await ReadAsync(left);
            Assert.True(message is not null, $"the stream ended (grpc-status {Status}: {Message}) before {what}");
            read.Add(message);
            if (match(message))
            {
                return read;
            }
        }
    }

    /// <summary>Reads and counts the remaining messages until the stream ends.</summary>
    public async Task<int> DrainAsync(int timeoutSeconds = 60)
    {
        var count = 0;
        while (await ReadAsync(timeoutSeconds) is not null)
        {
            count++;
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        await cancel.CancelAsync();
        await body.DisposeAsync();
        response.Dispose();
        request.Dispose();
        cancel.Dispose();
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                Assert.True(filled == 0, "the stream ended inside a frame");
                return false;
            }

            filled += read;
        }

        return true;
    }
}
