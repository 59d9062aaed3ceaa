using Autopilot.Ingest.Wal;

namespace Autopilot.Ingest.Tests.Wal;

public sealed class WriteAheadLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private WalOptions Options(bool fsync = false, long segmentSize = 64 * 1024, long maxTotal = 16 * 1024 * 1024, long maxPending = 1024 * 1024, int retention = 0) => new()
    {
        Directory = _dir.Path,
        FsyncEnabled = fsync,
        SegmentSizeBytes = segmentSize,
        MaxTotalBytes = maxTotal,
        MaxPendingBytes = maxPending,
        RetentionSegments = retention,
    };

    /// <summary>Only the synchronous part of a call: argument and state errors are thrown before any task exists.</summary>
    private static Action SyncPart(Func<Task> call) => () => call();

    private static async Task<List<WalRecord>> ReadAllAsync(WriteAheadLog wal)
    {
        var records = new List<WalRecord>();
        await foreach (var record in wal.ReadFromCheckpointAsync())
        {
            records.Add(record);
        }

        return records;
    }

    private static async Task<List<WalRecord>> ReopenAndReadAsync(WalOptions options)
    {
        await using var wal = await WriteAheadLog.OpenAsync(options);
        return await ReadAllAsync(wal);
    }

    [Fact]
    public async Task AppendAsync_ThenReopen_ReplaysEveryRecordInOrder()
    {
        var options = Options();
        var lsns = new List<long>();
        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            for (var i = 0; i < 50; i++)
            {
                lsns.Add(await wal.AppendAsync(Payloads.For(i, 20 + i), (byte)(i % 3)));
            }
        }

        var records = await ReopenAndReadAsync(options);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), lsns);
        Assert.Equal(50, records.Count);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(i, records[i].Lsn);
            Assert.Equal((byte)(i % 3), records[i].Type);
            Assert.Equal(Payloads.For(i, 20 + i), records[i].Payload.ToArray());
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(10_000)]
    [InlineData(20_000)] // larger than the 8 KiB segment: it gets a segment of its own
    public async Task AppendAsync_PayloadSize_RoundTrips(int size)
    {
        var options = Options(segmentSize: 8 * 1024);
        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            Assert.Equal(0, await wal.AppendAsync(Payloads.For(1, 100), 1));
            Assert.Equal(1, await wal.AppendAsync(Payloads.For(2, size), 2));
            Assert.Equal(2, await wal.AppendAsync(Payloads.For(3, 100), 3));
        }

        var records = await ReopenAndReadAsync(options);

        Assert.Equal([0L, 1L, 2L], records.Select(r => r.Lsn));
        Assert.Equal(Payloads.For(2, size), records[1].Payload.ToArray());
        Assert.Equal(2, records[1].Type);
        if (size > 8 * 1024)
        {
            Assert.Equal(["00000000000000000000.wal", "00000000000000000001.wal", "00000000000000000002.wal"], _dir.SegmentFiles());
        }
    }

    [Fact]
    public async Task AppendAsync_PayloadLargerThanQueue_ThrowsArgumentOutOfRange()
    {
        await using var wal = await WriteAheadLog.OpenAsync(Options(maxPending: 4096));

        var e = Assert.Throws<ArgumentOutOfRangeException>(SyncPart(() => wal.AppendAsync(new byte[4096], 1).AsTask()));

        Assert.Contains("maxPendingBytes", e.Message);
    }

    [Fact]
    public async Task AppendAsync_ManyConcurrentAppenders_CoalescesIntoFewerFsyncs()
    {
        const int Tasks = 8;
        const int PerTask = 100;
        await using var wal = await WriteAheadLog.OpenAsync(Options(fsync: true));

        var results = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(async () =>
        {
            // Each task keeps a window of appends in flight, as concurrent receivers would.
            var lsns = new List<long>();
            for (var i = 0; i < PerTask; i += 10)
            {
                var window = Enumerable.Range(i, 10).Select(k => wal.AppendAsync(Payloads.For((t * 1000) + k, 64), 1).AsTask()).ToArray();
                lsns.AddRange(await Task.WhenAll(window));
            }

            return lsns;
        })));

        var all = results.SelectMany(l => l).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, Tasks * PerTask).Select(i => (long)i), all);
        Assert.Equal(Tasks * PerTask, (await ReadAllAsync(wal)).Count);
        Assert.InRange(wal.FsyncCount, 1, (Tasks * PerTask) - 1);
        Assert.Equal(wal.GroupCommitCount, wal.FsyncCount);
    }

    [Fact]
    public async Task AppendAsync_PastSegmentSize_RollsToSegmentNamedByFirstLsn()
    {
        var options = Options(segmentSize: 4096);
        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            for (var i = 0; i < 100; i++)
            {
                await wal.AppendAsync(Payloads.For(i, 191), 1); // 200 bytes framed: 20 per segment
            }
        }

        var files = _dir.SegmentFiles();
        Assert.Equal(5, files.Length);
        Assert.Equal(["00000000000000000000.wal", "00000000000000000020.wal", "00000000000000000040.wal", "00000000000000000060.wal", "00000000000000000080.wal"], files);
        Assert.All(files, f => Assert.Equal(4000, new FileInfo(Path.Combine(_dir.Path, f)).Length));
        var records = await ReopenAndReadAsync(options);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), records.Select(r => r.Lsn));
    }

    [Fact]
    public async Task CheckpointAsync_CoveringSealedSegments_DeletesThoseBeyondRetention()
    {
        var options = Options(segmentSize: 4096, retention: 1);
        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            for (var i = 0; i < 100; i++)
            {
                await wal.AppendAsync(Payloads.For(i, 191), 1);
            }

            await wal.CheckpointAsync(69);

            // Segments 0, 20 and 40 are entirely checkpointed; retention keeps the newest of them (40).
            Assert.Equal(["00000000000000000040.wal", "00000000000000000060.wal", "00000000000000000080.wal"], _dir.SegmentFiles());
            Assert.Equal(3 * 4000, wal.BytesOnDisk);
            var replay = await ReadAllAsync(wal);
            Assert.Equal(Enumerable.Range(70, 30).Select(i => (long)i), replay.Select(r => r.Lsn));
        }

        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            Assert.Equal(69, wal.CheckpointLsn);
            Assert.Equal(99, wal.LastLsn);
            Assert.Equal(100, await wal.AppendAsync(Payloads.For(100, 10), 1));
            Assert.Equal(Enumerable.Range(70, 31).Select(i => (long)i), (await ReadAllAsync(wal)).Select(r => r.Lsn));
        }
    }

    [Fact]
    public async Task CheckpointAsync_BeyondLastDurableLsn_ThrowsArgumentOutOfRange()
    {
        await using var wal = await WriteAheadLog.OpenAsync(Options());
        await wal.AppendAsync(Payloads.For(0, 10), 1);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => wal.CheckpointAsync(1).AsTask());
        await wal.CheckpointAsync(0);
        await wal.CheckpointAsync(-1); // going backwards is a no-op
        Assert.Equal(0, wal.CheckpointLsn);
    }

    [Fact]
    public async Task AppendAsync_SizeCapReached_RefusesWithWalFullUntilCheckpoint()
    {
        await using var wal = await WriteAheadLog.OpenAsync(Options(segmentSize: 4096, maxTotal: 16 * 1024, maxPending: 4096));
        var accepted = new List<long>();
        WalFullException? full = null;
        for (var i = 0; i < 100 && full is null; i++)
        {
            try
            {
                accepted.Add(await wal.AppendAsync(Payloads.For(i, 991), 1));
            }
            catch (WalFullException e)
            {
                full = e;
            }
        }

        Assert.NotNull(full);
        Assert.Contains("maxTotalBytes", full.Message);
        Assert.Equal(16, accepted.Count); // 4 records of 1000 bytes per segment, 16384 bytes allowed
        Assert.IsAssignableFrom<WalOverloadedException>(full);

        await wal.CheckpointAsync(accepted[^1]);

        Assert.Equal(16, await wal.AppendAsync(Payloads.For(16, 991), 1));
        Assert.True(wal.BytesOnDisk <= 16 * 1024);
    }

    [Fact]
    public async Task AppendAsync_QueueFull_FailsAtOnceWithOverloaded()
    {
        await using var wal = await WriteAheadLog.OpenAsync(Options(maxPending: 8 * 1024));
        using var gate = new ManualResetEventSlim(false);
        wal.WriterGate = gate;
        var accepted = new List<Task<long>>();
        Task<long>? refused = null;
        for (var i = 0; i < 100; i++)
        {
            var append = wal.AppendAsync(Payloads.For(i, 991), 1).AsTask();
            if (append.IsFaulted)
            {
                refused = append;
                break;
            }

            accepted.Add(append);
        }

        Assert.NotNull(refused); // refused synchronously: the appender never waits on a full queue
        var e = await Assert.ThrowsAsync<WalOverloadedException>(() => refused);
        Assert.IsNotType<WalFullException>(e);
        Assert.Equal(8, accepted.Count); // 8 records of 1000 bytes fit 8 KiB

        gate.Set();
        var lsns = new List<long>();
        foreach (var append in accepted)
        {
            lsns.Add(await append);
        }

        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), lsns);
        Assert.Equal(8, await wal.AppendAsync(Payloads.For(8, 991), 1)); // room again once written
    }

    [Fact]
    public async Task DisposeAsync_WithQueuedAppends_WritesThemAll()
    {
        var options = Options();
        var appends = new List<Task<long>>();
        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            for (var i = 0; i < 200; i++)
            {
                appends.Add(wal.AppendAsync(Payloads.For(i, 100), 1).AsTask());
            }
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), await Task.WhenAll(appends));
        Assert.Equal(200, (await ReopenAndReadAsync(options)).Count);
    }

    [Fact]
    public async Task OpenAsync_DirectoryAlreadyOpen_ThrowsUntilTheFirstIsDisposed()
    {
        var options = Options();
        var first = await WriteAheadLog.OpenAsync(options);

        var e = await Assert.ThrowsAsync<IOException>(() => WriteAheadLog.OpenAsync(options).AsTask());
        Assert.Contains("already open", e.Message);

        await first.DisposeAsync();
        await using var second = await WriteAheadLog.OpenAsync(options);
    }

    [Fact]
    public async Task AppendAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var wal = await WriteAheadLog.OpenAsync(Options());
        await wal.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(SyncPart(() => wal.AppendAsync(new byte[1], 1).AsTask()));
    }

    [Fact]
    public async Task OpenAsync_TornTailFromPartialRecord_TruncatesAndKeepsEarlierRecords()
    {
        var options = Options();
        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            for (var i = 0; i < 10; i++)
            {
                await wal.AppendAsync(Payloads.For(i, 100), 1);
            }
        }

        var segment = Path.Combine(_dir.Path, _dir.SegmentFiles().Single());
        Assert.Equal(1090, new FileInfo(segment).Length);
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(1090 - 50); // cut the last record in half, as a crash mid-write would
        }

        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            Assert.Equal(1, wal.CorruptRecordCount);
            Assert.Equal(8, wal.LastLsn);
            Assert.Equal(981, new FileInfo(segment).Length);
            Assert.Equal(9, await wal.AppendAsync(Payloads.For(99, 100), 1));
        }

        var records = await ReopenAndReadAsync(options);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), records.Select(r => r.Lsn));
        Assert.Equal(Payloads.For(99, 100), records[9].Payload.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })] // zeros a crashed file system may leave
    [InlineData(new byte[] { 5, 0, 0, 0, 1, 2, 3, 4, 1, 9, 9, 9, 9, 9 })] // a whole record with a wrong CRC
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 1, 2 })] // garbage length
    public async Task OpenAsync_GarbageAfterLastRecord_TruncatesIt(byte[] garbage)
    {
        var options = Options();
        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            for (var i = 0; i < 3; i++)
            {
                await wal.AppendAsync(Payloads.For(i, 10), 1);
            }
        }

        var segment = Path.Combine(_dir.Path, _dir.SegmentFiles().Single());
        using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write(garbage);
        }

        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            Assert.Equal(1, wal.CorruptRecordCount);
            Assert.Equal(3 * 19, new FileInfo(segment).Length);
            Assert.Equal([0L, 1L, 2L], (await ReadAllAsync(wal)).Select(r => r.Lsn));
        }
    }

    [Fact]
    public async Task ReadBatchAsync_CorruptRecordInSealedSegment_SkipsRestOfSegmentAndCountsIt()
    {
        var options = Options(segmentSize: 4096);
        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            for (var i = 0; i < 60; i++)
            {
                await wal.AppendAsync(Payloads.For(i, 191), 1); // 20 records per segment
            }
        }

        var first = Path.Combine(_dir.Path, _dir.SegmentFiles()[0]);
        using (var file = new FileStream(first, FileMode.Open))
        {
            file.Position = (5 * 200) + 100; // inside record 5's payload
            file.WriteByte(0xAB);
        }

        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            using var reader = wal.OpenReader();
            var batch = new WalRecordBatch(maxRecords: 7);
            var lsns = new List<long>();
            var batches = 0;
            while (await reader.ReadBatchAsync(batch))
            {
                batches++;
                Assert.InRange(batch.Count, 1, 7);
                for (var i = 0; i < batch.Count; i++)
                {
                    lsns.Add(batch[i].Lsn);
                    Assert.Equal(Payloads.For(batch[i].Lsn, 191), batch[i].Payload.ToArray());
                }
            }

            Assert.Equal(Enumerable.Range(0, 5).Concat(Enumerable.Range(20, 40)).Select(i => (long)i), lsns);
            Assert.Equal(1, reader.CorruptRecords);
            Assert.Equal(1, wal.CorruptRecordCount);
            Assert.True(batches >= 7);
        }
    }

    [Fact]
    public async Task ReadBatchAsync_ByteLimit_SplitsBatchesButReturnsEveryRecord()
    {
        await using var wal = await WriteAheadLog.OpenAsync(Options());
        for (var i = 0; i < 30; i++)
        {
            await wal.AppendAsync(Payloads.For(i, 1000), 1);
        }

        using var reader = wal.OpenReader(afterLsn: 9);
        var batch = new WalRecordBatch(maxRecords: 100, maxBytes: 4500);
        var counts = new List<int>();
        long expected = 10;
        while (await reader.ReadBatchAsync(batch))
        {
            counts.Add(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                Assert.Equal(expected, batch[i].Lsn);
                Assert.Equal(Payloads.For(expected++, 1000), batch[i].Payload.ToArray());
            }
        }

        Assert.Equal([4, 4, 4, 4, 4], counts);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public async Task OpenAsync_DamagedCheckpointFile_ReplaysFromTheStart()
    {
        var options = Options();
        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            for (var i = 0; i < 5; i++)
            {
                await wal.AppendAsync(Payloads.For(i, 10), 1);
            }

            await wal.CheckpointAsync(3);
        }

        Assert.Single(await ReopenAndReadAsync(options));
        await File.WriteAllBytesAsync(Path.Combine(_dir.Path, "checkpoint"), [1, 2, 3]);

        await using (var wal = await WriteAheadLog.OpenAsync(options))
        {
            Assert.Equal(-1, wal.CheckpointLsn);
            Assert.Equal(5, (await ReadAllAsync(wal)).Count);
        }
    }
}
