using System.Buffers;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace Autopilot.Ingest.Wal;

/// <summary>
/// A segmented, checksummed write-ahead log with group commit. <see cref="AppendAsync"/> completes only once the
/// record is written and fsynced, so a receiver may acknowledge then; after a crash (even <c>kill -9</c> or power
/// loss with <see cref="WalOptions.FsyncEnabled"/>) every completed append is replayed by
/// <see cref="OpenReader(long)"/> / <see cref="ReadFromCheckpointAsync"/> until a checkpoint covers it.
/// </summary>
/// <remarks>
/// <para>
/// One writer thread takes everything queued since its last pass and writes it with one gathered write and one
/// fsync, then completes all those appends together: under load, many appends share each fsync. The queue is
/// bounded by <see cref="WalOptions.MaxPendingBytes"/>; past it appends fail at once with
/// <see cref="WalOverloadedException"/> rather than wait.
/// </para>
/// <para>
/// On disk: segment files <c>&lt;first LSN, 20 digits&gt;.wal</c> holding records
/// <c>[u32 payload length][u32 CRC-32C of type + payload][u8 type][payload]</c> (little-endian), and a
/// <c>checkpoint</c> file, and a <c>lock</c> file held exclusively while open. On open a torn or corrupt tail of the last segment (a write the crash cut short, never
/// acknowledged) is truncated; damage inside a sealed segment is logged and counted by readers, which skip the rest
/// of that segment.
/// </para>
/// </remarks>
public sealed class WriteAheadLog : IAsyncDisposable
{
    private readonly string _directory;
    private readonly long _segmentSize;
    private readonly long _maxTotalBytes;
    private readonly long _maxPendingBytes;
    private readonly int _retentionSegments;
    private readonly bool _fsync;
    private readonly ILogger _logger;
    private readonly WalMetrics _metrics;
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private readonly TaskCompletionSource _writerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _writer;
    private readonly SafeFileHandle _directoryLock;

    // Lock order: _checkpointGate, then _lock. Nothing blocking (I/O, callbacks) runs under _lock.
    private readonly object _lock = new();
    private readonly List<WalSegment> _segments;
    private List<PendingAppend> _pending = [];
    private long _nextLsn;
    private long _durableNextLsn;
    private long _pendingBytes;
    private long _diskBytes;
    private long _checkpointedBytes;
    private long _checkpointLsn;
    private bool _stopping;
    private Exception? _failure;

    // Owned by the writer thread (and by the constructor before it starts).
    private SafeFileHandle _active;
    private WalSegment _activeSegment;

    private long _fsyncCount;
    private long _groupCount;
    private long _corruptRecordCount;

    private WriteAheadLog(
        WalOptions options,
        string directory,
        List<WalSegment> segments,
        SafeFileHandle active,
        SafeFileHandle directoryLock,
        long nextLsn,
        long checkpointLsn,
        ILogger logger,
        IMeterFactory? meterFactory)
    {
        _directory = directory;
        _segmentSize = options.SegmentSizeBytes;
        _maxTotalBytes = options.MaxTotalBytes;
        _maxPendingBytes = options.MaxPendingBytes;
        _retentionSegments = options.RetentionSegments;
        _fsync = options.FsyncEnabled;
        _logger = logger;
        _segments = segments;
        _active = active;
        _directoryLock = directoryLock;
        _activeSegment = segments[^1];
        _nextLsn = _durableNextLsn = nextLsn;
        _checkpointLsn = checkpointLsn;
        foreach (var segment in segments)
        {
            _diskBytes += segment.Length;
        }

        _metrics = new WalMetrics(meterFactory, () => Volatile.Read(ref _diskBytes));
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "wal-writer" };
    }

    /// <summary>Highest LSN covered by the last checkpoint; -1 when there is none.</summary>
    public long CheckpointLsn
    {
        get
        {
            lock (_lock)
            {
                return _checkpointLsn;
            }
        }
    }

    /// <summary>Highest durable (acknowledged) LSN; -1 when the log has never held a record.</summary>
    public long LastLsn
    {
        get
        {
            lock (_lock)
            {
                return _durableNextLsn - 1;
            }
        }
    }

    /// <summary>Bytes of segment files on disk.</summary>
    public long BytesOnDisk => Volatile.Read(ref _diskBytes);

    /// <summary>Data fsyncs so far; with group commit, fewer than appends under concurrency.</summary>
    internal long FsyncCount => Interlocked.Read(ref _fsyncCount);

    /// <summary>Group commits (one gathered write each) so far.</summary>
    internal long GroupCommitCount => Interlocked.Read(ref _groupCount);

    /// <summary>Damaged records found at open (torn tail) and by readers (corrupt sealed segments).</summary>
    internal long CorruptRecordCount => Interlocked.Read(ref _corruptRecordCount);

    /// <summary>Test hook: when set, the writer waits on it after taking each group, so tests can fill the queue.</summary>
    internal ManualResetEventSlim? WriterGate { get; set; }

    /// <summary>
    /// Opens (or creates) the log in <see cref="WalOptions.Directory"/>: reads the checkpoint, truncates a torn tail of
    /// the last segment, deletes checkpointed segments past retention and starts the writer. The work is synchronous
    /// file I/O proportional to one segment.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static ValueTask<WriteAheadLog> OpenAsync(
        WalOptions options,
        ILogger? logger = null,
        IMeterFactory? meterFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        logger ??= NullLogger.Instance;

        var directory = Path.GetFullPath(options.Directory);
        Directory.CreateDirectory(directory);
        var directoryLock = LockDirectory(directory);
        List<WalSegment> segments;
        SafeFileHandle active;
        long nextLsn;
        long checkpointLsn;
        int tornRecords;
        try
        {
            File.Delete(Path.Combine(directory, CheckpointFile.TempFileName));
            var checkpoint = CheckpointFile.Read(directory);
            if (checkpoint is null)
            {
                WalLog.CheckpointDamaged(logger, directory);
            }

            checkpointLsn = checkpoint ?? -1;
            segments = ListSegments(directory);
            tornRecords = 0;
            if (segments.Count == 0)
            {
                nextLsn = checkpointLsn + 1;
            }
            else
            {
                var last = segments[^1];
                (nextLsn, last.Length, tornRecords) = RecoverTail(last, options.FsyncEnabled, logger);
            }

            if (segments.Count == 0 || nextLsn <= checkpointLsn)
            {
                // A checkpoint ahead of the data means segments were lost; LSNs must still never go backwards past it.
                nextLsn = Math.Max(nextLsn, checkpointLsn + 1);
                var path = Path.Combine(directory, SegmentFiles.NameFor(nextLsn));
                File.OpenHandle(path, FileMode.Create, FileAccess.Write).Dispose();
                if (options.FsyncEnabled)
                {
                    DirectorySync.Fsync(directory);
                }

                segments.Add(new WalSegment(nextLsn, path, 0));
            }

            active = File.OpenHandle(segments[^1].Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }

        var wal = new WriteAheadLog(options, directory, segments, active, directoryLock, nextLsn, checkpointLsn, logger, meterFactory);
        if (tornRecords > 0)
        {
            wal.CountCorrupt(tornRecords, "torn_tail");
        }

        List<WalSegment> victims;
        lock (wal._lock)
        {
            victims = wal.TakeRetentionVictimsLocked();
        }

        wal.Delete(victims);
        WalLog.Opened(logger, directory, wal._segments.Count, wal.BytesOnDisk, nextLsn, checkpointLsn);
        wal._writer.Start();
        return ValueTask.FromResult(wal);
    }

    /// <summary>
    /// Appends one record and completes with its LSN once it is written and fsynced together with whatever else was
    /// queued (group commit). Payloads are copied before this returns.
    /// </summary>
    /// <returns>
    /// The LSN. Faulted at once (already completed) with <see cref="WalOverloadedException"/> when the queue is full,
    /// or <see cref="WalFullException"/> when the log is at <see cref="WalOptions.MaxTotalBytes"/>: nothing was written.
    /// Faulted with <see cref="IOException"/> if the disk write fails; the log then refuses every later append.
    /// </returns>
    /// <remarks>
    /// Cancellation only stops the wait: a record already queued is still written and may be replayed.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The payload can never fit the queue (see <see cref="WalOptions.MaxPendingBytes"/>).</exception>
    /// <exception cref="ObjectDisposedException">The log is disposed.</exception>
    public ValueTask<long> AppendAsync(ReadOnlyMemory<byte> payload, byte recordType, CancellationToken cancellationToken = default)
    {
        var size = RecordFormat.HeaderSize + (long)payload.Length;
        if (size > _maxPendingBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(payload),
                $"A payload of {payload.Length} bytes exceeds the largest record the log accepts ({_maxPendingBytes - RecordFormat.HeaderSize} bytes, wal.maxPendingBytes minus the header); split it.");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)size);
        RecordFormat.Write(buffer, recordType, payload.Span);
        var append = new PendingAppend(buffer, (int)size);
        if (!TryEnqueue(append, out var refused))
        {
            return refused;
        }

        return cancellationToken.CanBeCanceled
            ? new ValueTask<long>(append.Task.WaitAsync(cancellationToken))
            : new ValueTask<long>(append.Task);
    }

    /// <summary>
    /// Appends a record the caller has laid out in <paramref name="record"/>: <see cref="RecordFormat.HeaderSize"/> free
    /// bytes, then the payload. The log writes the header into those bytes and the record from the caller's memory, with
    /// no copy, so a request body read into such a buffer goes to disk as it is.
    /// </summary>
    /// <remarks>
    /// The memory is borrowed: the caller must not change or reuse it until the returned task completes (successfully or
    /// not); after that the log never touches it again. There is no cancellation, because a cancelled wait would hand the
    /// memory back while the record may still be queued for the writer.
    /// </remarks>
    /// <returns>The LSN; refusals and failures as for <see cref="AppendAsync"/>.</returns>
    internal ValueTask<long> AppendFramedAsync(Memory<byte> record, byte recordType)
    {
        if (record.Length < RecordFormat.HeaderSize)
        {
            throw new ArgumentOutOfRangeException(nameof(record), $"A framed record needs {RecordFormat.HeaderSize} header bytes in front of its payload.");
        }

        if (record.Length > _maxPendingBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(record),
                $"A payload of {record.Length - RecordFormat.HeaderSize} bytes exceeds the largest record the log accepts ({_maxPendingBytes - RecordFormat.HeaderSize} bytes, wal.maxPendingBytes minus the header); split it.");
        }

        var span = record.Span;
        RecordFormat.WriteHeader(span, recordType, span[RecordFormat.HeaderSize..]);
        var append = new PendingAppend(record);
        return TryEnqueue(append, out var refused) ? new ValueTask<long>(append.Task) : refused;
    }

    private bool TryEnqueue(PendingAppend append, out ValueTask<long> refused)
    {
        var size = (long)append.Length;
        Refusal refusal;
        Exception? failure;
        lock (_lock)
        {
            failure = _failure;
            if (_stopping)
            {
                refusal = Refusal.Disposed;
            }
            else if (failure is not null)
            {
                refusal = Refusal.Failed;
            }
            else if (_pendingBytes + size > _maxPendingBytes)
            {
                refusal = Refusal.Overloaded;
            }
            else if (_diskBytes - _checkpointedBytes + _pendingBytes + size > _maxTotalBytes)
            {
                refusal = Refusal.Full;
            }
            else
            {
                refusal = Refusal.None;
                append.Lsn = _nextLsn++;
                _pendingBytes += size;
                _pending.Add(append);
                Monitor.Pulse(_lock);
            }
        }

        if (refusal == Refusal.None)
        {
            refused = default;
            return true;
        }

        append.Release();
        refused = Refuse(refusal, failure, size);
        return false;
    }

    /// <summary>
    /// Durably records that every record up to and including <paramref name="lsn"/> is processed, so replay starts
    /// after it and the segments it covers may be deleted (beyond <see cref="WalOptions.RetentionSegments"/>).
    /// A checkpoint at or below the current one is a no-op.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsn"/> is not durable yet (above <see cref="LastLsn"/>) or below -1.</exception>
    public async ValueTask CheckpointAsync(long lsn, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lsn, -1);
        await _checkpointGate.WaitAsync(cancellationToken);
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_stopping, this);
                if (lsn >= _durableNextLsn)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(lsn), $"Cannot checkpoint LSN {lsn}: the last durable LSN is {_durableNextLsn - 1}.");
                }

                if (lsn <= _checkpointLsn)
                {
                    return;
                }
            }

            CheckpointFile.Write(_directory, lsn, _fsync);
            List<WalSegment> victims;
            lock (_lock)
            {
                _checkpointLsn = lsn;
                victims = TakeRetentionVictimsLocked();
            }

            Delete(victims);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>A batch reader over the durable records after <paramref name="afterLsn"/> (use -1 for all retained ones), as of now.</summary>
    public WalReader OpenReader(long afterLsn)
    {
        WalSegment[] snapshot;
        long endLsn;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            snapshot = new WalSegment[_segments.Count];
            for (var i = 0; i < snapshot.Length; i++)
            {
                var s = _segments[i];
                snapshot[i] = new WalSegment(s.FirstLsn, s.Path, s.Length);
            }

            endLsn = _durableNextLsn;
        }

        return new WalReader(this, snapshot, afterLsn, endLsn);
    }

    /// <summary>A batch reader over the durable records after the last checkpoint: what a restart must replay.</summary>
    public WalReader OpenReader() => OpenReader(CheckpointLsn);

    /// <summary>
    /// The durable records after the last checkpoint, in LSN order, each with its own payload copy. Prefer
    /// <see cref="OpenReader()"/> with a reused <see cref="WalRecordBatch"/> on hot paths.
    /// </summary>
    public async IAsyncEnumerable<WalRecord> ReadFromCheckpointAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = OpenReader();
        var batch = new WalRecordBatch();
        while (await reader.ReadBatchAsync(batch, cancellationToken))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var record = batch[i];
                yield return record with { Payload = record.Payload.ToArray() };
            }
        }
    }

    /// <summary>Stops taking appends, writes and fsyncs everything already queued, and closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        bool first;
        lock (_lock)
        {
            first = !_stopping;
            _stopping = true;
            Monitor.Pulse(_lock);
        }

        await _writerExited.Task;
        if (first)
        {
            _active.Dispose();
            _directoryLock.Dispose();
            _metrics.Dispose();
        }
    }

    internal void CountCorrupt(long records, string reason)
    {
        Interlocked.Add(ref _corruptRecordCount, records);
        _metrics.CorruptRecords.Add(records, new KeyValuePair<string, object?>("reason", reason));
    }

    internal ILogger Logger => _logger;

    /// <summary>
    /// Two writers in one directory would interleave LSNs and truncate each other's tails, so the log holds an exclusive
    /// lock on a <c>lock</c> file (flock on Unix) while open; the kernel drops it when the process dies, even by SIGKILL.
    /// </summary>
    private static SafeFileHandle LockDirectory(string directory)
    {
        try
        {
            return File.OpenHandle(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The write-ahead log in '{directory}' is already open (by this or another process); close that one first.", e);
        }
    }

    private static List<WalSegment> ListSegments(string directory)
    {
        var segments = new List<WalSegment>();
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*" + SegmentFiles.Extension))
        {
            if (SegmentFiles.TryParse(file.Name, out var firstLsn))
            {
                segments.Add(new WalSegment(firstLsn, file.FullName, file.Length));
            }
        }

        segments.Sort(static (a, b) => a.FirstLsn.CompareTo(b.FirstLsn));
        return segments;
    }

    /// <summary>Scans the last segment; cuts off a record the crash left half-written (it was never acknowledged).</summary>
    private static (long NextLsn, long Length, int TornRecords) RecoverTail(WalSegment last, bool fsync, ILogger logger)
    {
        ReadStatus status;
        long position;
        long nextLsn;
        using (var reader = SegmentReader.Open(last.Path, last.FirstLsn))
        {
            while ((status = reader.ReadNext(out _, out _)) == ReadStatus.Record)
            {
            }

            position = reader.Position;
            nextLsn = reader.NextLsn;
        }

        if (status == ReadStatus.End)
        {
            return (nextLsn, position, 0);
        }

        using (var handle = File.OpenHandle(last.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            var length = RandomAccess.GetLength(handle);
            RandomAccess.SetLength(handle, position);
            if (fsync)
            {
                RandomAccess.FlushToDisk(handle);
            }

            WalLog.TornTailTruncated(logger, last.Path, status == ReadStatus.Torn ? "partial" : "checksum-mismatched", position, length - position);
        }

        return (nextLsn, position, 1);
    }

    private ValueTask<long> Refuse(Refusal refusal, Exception? failure, long size)
    {
        switch (refusal)
        {
            case Refusal.Disposed:
                throw new ObjectDisposedException(nameof(WriteAheadLog));
            case Refusal.Failed:
                return ValueTask.FromException<long>(new IOException("The write-ahead log failed to write and refuses appends until it is reopened.", failure));
            case Refusal.Overloaded:
                _metrics.Refused.Add(1, new KeyValuePair<string, object?>("reason", "overloaded"));
                return ValueTask.FromException<long>(new WalOverloadedException(
                    $"The write-ahead log's group-commit queue is full ({_maxPendingBytes} bytes, wal.maxPendingBytes); retry shortly."));
            default:
                _metrics.Refused.Add(1, new KeyValuePair<string, object?>("reason", "full"));
                return ValueTask.FromException<long>(new WalFullException(
                    $"The write-ahead log is full: appending {size} bytes would exceed wal.maxTotalBytes ({_maxTotalBytes}) of data not yet checkpointed; retry after consumers checkpoint."));
        }
    }

    private void WriterLoop()
    {
        var batch = new List<PendingAppend>();
        var gather = new List<ReadOnlyMemory<byte>>();
        try
        {
            while (true)
            {
                lock (_lock)
                {
                    while (_pending.Count == 0 && !_stopping)
                    {
                        Monitor.Wait(_lock);
                    }

                    if (_pending.Count == 0)
                    {
                        return;
                    }

                    (batch, _pending) = (_pending, batch);
                }

                WriterGate?.Wait();
                try
                {
                    WriteBatch(batch, gather);

                    // Borrowed records belong to their appenders again: keep no reference to them.
                    gather.Clear();
                }
                catch (Exception e)
                {
                    // Whatever went wrong, no appender may wait forever: fail them all and refuse from now on.
                    FailWriter(e, batch);
                    return;
                }

                batch.Clear();
            }
        }
        finally
        {
            _writerExited.TrySetResult();
        }
    }

    /// <summary>Writes a batch in LSN order, one gathered write + fsync per segment it touches.</summary>
    private void WriteBatch(List<PendingAppend> batch, List<ReadOnlyMemory<byte>> gather)
    {
        var groupStart = 0;
        long groupBytes = 0;
        gather.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            var append = batch[i];
            var used = _activeSegment.Length + groupBytes;
            if (used > 0 && used + append.Length > _segmentSize)
            {
                if (gather.Count > 0)
                {
                    Commit(batch, groupStart, i, gather, groupBytes);
                }

                Roll(append.Lsn);
                groupStart = i;
                groupBytes = 0;
                gather.Clear();
            }

            gather.Add(append.Record);
            groupBytes += append.Length;
        }

        Commit(batch, groupStart, batch.Count, gather, groupBytes);
    }

    private void Commit(List<PendingAppend> batch, int start, int end, List<ReadOnlyMemory<byte>> gather, long bytes)
    {
        RandomAccess.Write(_active, gather, _activeSegment.Length);
        if (_fsync)
        {
            RandomAccess.FlushToDisk(_active);
            Interlocked.Increment(ref _fsyncCount);
            _metrics.Fsyncs.Add(1);
        }

        Interlocked.Increment(ref _groupCount);
        lock (_lock)
        {
            _activeSegment.Length += bytes;
            _diskBytes += bytes;
            _pendingBytes -= bytes;
            _durableNextLsn = batch[end - 1].Lsn + 1;
        }

        for (var i = start; i < end; i++)
        {
            batch[i].Succeed();
        }

        _metrics.Appends.Add(end - start);
        _metrics.AppendedBytes.Add(bytes);
        _metrics.GroupSize.Record(end - start);
    }

    /// <summary>Seals the active segment (already fsynced by its last commit) and starts one named <paramref name="firstLsn"/>.</summary>
    private void Roll(long firstLsn)
    {
        var path = Path.Combine(_directory, SegmentFiles.NameFor(firstLsn));
        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        if (_fsync)
        {
            // The new name must be durable before any record in it is acknowledged.
            DirectorySync.Fsync(_directory);
        }

        _active.Dispose();
        _active = handle;
        var segment = new WalSegment(firstLsn, path, 0);
        List<WalSegment> victims;
        lock (_lock)
        {
            _segments.Add(segment);
            _activeSegment = segment;
            victims = TakeRetentionVictimsLocked();
        }

        Delete(victims);
    }

    private void FailWriter(Exception exception, List<PendingAppend> batch)
    {
        WalLog.WriterFailed(_logger, exception);
        List<PendingAppend> pending;
        lock (_lock)
        {
            _failure = exception;
            pending = _pending;
            _pending = [];
            _pendingBytes = 0;
        }

        var error = new IOException("The write-ahead log failed to write; the record is not durable.", exception);
        foreach (var append in batch)
        {
            append.Fail(error);
        }

        foreach (var append in pending)
        {
            append.Fail(error);
        }
    }

    /// <summary>
    /// Recomputes which sealed segments lie entirely at or below the checkpoint, and removes from the list the oldest
    /// of them beyond retention, or while the log is over its size cap. The caller deletes the files outside the lock.
    /// </summary>
    private List<WalSegment> TakeRetentionVictimsLocked()
    {
        var checkpointed = 0;
        long checkpointedBytes = 0;
        for (var i = 0; i < _segments.Count - 1 && _segments[i + 1].FirstLsn - 1 <= _checkpointLsn; i++)
        {
            checkpointed++;
            checkpointedBytes += _segments[i].Length;
        }

        var victims = new List<WalSegment>();
        while (checkpointed > 0 && (checkpointed > _retentionSegments || _diskBytes > _maxTotalBytes))
        {
            var victim = _segments[0];
            _segments.RemoveAt(0);
            _diskBytes -= victim.Length;
            checkpointedBytes -= victim.Length;
            checkpointed--;
            victims.Add(victim);
        }

        _checkpointedBytes = checkpointedBytes;
        return victims;
    }

    private void Delete(List<WalSegment> victims)
    {
        foreach (var victim in victims)
        {
            try
            {
                File.Delete(victim.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WalLog.DeleteFailed(_logger, victim.Path, e);
            }
        }
    }

    private enum Refusal
    {
        None,
        Disposed,
        Failed,
        Overloaded,
        Full,
    }
}
