using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Wal;

namespace Autopilot.Ingest.Tests.Wal;

/// <summary>
/// <see cref="WriteAheadLog.AppendFramedAsync"/>: records written straight from the appender's buffer (a pooled request
/// body with the header reserved), read back like copied ones, and never read from that buffer once the append completes.
/// </summary>
public sealed class FramedAppendTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private WalOptions Options(long maxPending = 1024 * 1024, long maxTotal = 16 * 1024 * 1024) => new()
    {
        Directory = _dir.Path,
        FsyncEnabled = true,
        SegmentSizeBytes = 64 * 1024,
        MaxTotalBytes = maxTotal,
        MaxPendingBytes = maxPending,
    };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100_000)]
    public async Task AppendFramedAsync_RequestBuffer_ReadsBackAsFormatByteAndBody(int size)
    {
        var body = Payloads.For(size, size);
        await using (var wal = await WriteAheadLog.OpenAsync(Options()))
        {
            using var buffer = RequestBuffer.CopyOf(body);
            Assert.Equal(0, await wal.AppendFramedAsync(buffer.FrameRecord(7), 3));
            Assert.Equal(1, await wal.AppendAsync(Payloads.For(1, 5), 4));
        }

        var records = await ReadAllAsync();

        Assert.Equal(2, records.Count);
        Assert.Equal(3, records[0].Type);
        Assert.Equal([7, .. body], records[0].Payload.ToArray());
        Assert.Equal(Payloads.For(1, 5), records[1].Payload.ToArray());
    }

    [Fact]
    public async Task AppendFramedAsync_BufferReusedAfterCompletion_RecordsOnDiskUnchanged()
    {
        // Many concurrent appends share group commits; each appender overwrites its buffer as soon as its append
        // completes. If the log still read a buffer after completing it, the records on disk would carry 0xEE bytes.
        await using (var wal = await WriteAheadLog.OpenAsync(Options()))
        {
            var appends = Enumerable.Range(0, 64).Select(async i =>
            {
                using var buffer = RequestBuffer.CopyOf(Payloads.For(i, 2000 + i));
                var record = buffer.FrameRecord(1);
                var lsn = await wal.AppendFramedAsync(record, 2);
                record.Span.Fill(0xEE);
                return lsn;
            });
            Assert.Equal(64, (await Task.WhenAll(appends)).Distinct().Count());
        }

        var records = await ReadAllAsync();

        Assert.Equal(64, records.Count);
        Assert.All(records, r =>
        {
            var id = BitConverter.ToInt64(r.Payload.Span[1..9]);
            Assert.Equal([1, .. Payloads.For(id, 2000 + (int)id)], r.Payload.ToArray());
        });
    }

    [Fact]
    public async Task AppendFramedAsync_Refused_LeavesTheBufferToTheCaller()
    {
        await using var wal = await WriteAheadLog.OpenAsync(Options(maxPending: 4096));
        wal.WriterGate = new ManualResetEventSlim(false);
        using var first = RequestBuffer.CopyOf(Payloads.For(1, 3000));
        using var second = RequestBuffer.CopyOf(Payloads.For(2, 3000));

        var queued = wal.AppendFramedAsync(first.FrameRecord(1), 1).AsTask();
        await Assert.ThrowsAsync<WalOverloadedException>(() => wal.AppendFramedAsync(second.FrameRecord(1), 1).AsTask());

        // The refused record is still intact for a retry.
        Assert.Equal(Payloads.For(2, 3000), second.Span.ToArray());
        wal.WriterGate.Set();
        Assert.Equal(0, await queued);
        Assert.Equal(1, await wal.AppendFramedAsync(second.FrameRecord(1), 1));
    }

    [Fact]
    public async Task AppendFramedAsync_TooSmallOrTooLarge_Throws()
    {
        await using var wal = await WriteAheadLog.OpenAsync(Options(maxPending: 4096));

        // Thrown synchronously, before any task exists.
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = wal.AppendFramedAsync(new byte[RecordFormat.HeaderSize - 1], 1).AsTask(); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = wal.AppendFramedAsync(new byte[4097], 1).AsTask(); });
    }

    private async Task<List<WalRecord>> ReadAllAsync()
    {
        await using var wal = await WriteAheadLog.OpenAsync(Options());
        var records = new List<WalRecord>();
        await foreach (var record in wal.ReadFromCheckpointAsync())
        {
            records.Add(record);
        }

        return records;
    }
}
