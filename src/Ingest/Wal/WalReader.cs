namespace Autopilot.Ingest.Wal;

/// <summary>
/// Reads durable records in LSN order, a batch at a time, from a snapshot of the log taken by
/// <see cref="WriteAheadLog.OpenReader(long)"/>; appends made after that are not seen. Not thread-safe.
/// </summary>
/// <remarks>
/// A damaged record inside a segment (checksum mismatch, impossible length, a segment shorter than the next one's
/// first LSN says) never throws: it is logged, counted in <see cref="CorruptRecords"/> and the
/// <c>autopilot.wal.corrupt_records</c> metric, and the rest of that segment is skipped.
/// </remarks>
public sealed class WalReader : IDisposable
{
    private readonly WriteAheadLog _log;
    private readonly WalSegment[] _segments;
    private readonly long _afterLsn;
    private readonly long _endLsn;
    private int _index = -1;
    private SegmentReader? _current;
    private long _currentEndLsn;
    private bool _unread;
    private bool _disposed;

    internal WalReader(WriteAheadLog log, WalSegment[] segments, long afterLsn, long endLsn)
    {
        _log = log;
        _segments = segments;
        _afterLsn = afterLsn;
        _endLsn = endLsn;
    }

    /// <summary>Damage events met so far (each skipped the rest of one segment).</summary>
    public long CorruptRecords { get; private set; }

    /// <summary>
    /// Clears <paramref name="batch"/> and fills it with the next records, up to its limits.
    /// Returns false (with an empty batch) once every record in the snapshot has been read.
    /// </summary>
    /// <remarks>Completes synchronously: segment reads are buffered sequential reads, mostly from the page cache.</remarks>
    public ValueTask<bool> ReadBatchAsync(WalRecordBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        batch.Clear();
        while (true)
        {
            if (_current is null && !TryOpenNext())
            {
                return new ValueTask<bool>(batch.Count > 0);
            }

            var reader = _current!;
            ReadStatus status;
            ReadOnlySpan<byte> payload;
            byte type;
            if (_unread)
            {
                _unread = false;
                status = reader.ReReadLast(out type, out payload);
            }
            else
            {
                status = reader.ReadNext(out type, out payload);
            }

            switch (status)
            {
                case ReadStatus.Record:
                    var lsn = reader.NextLsn - 1;
                    if (lsn >= _currentEndLsn)
                    {
                        CloseCurrent();
                        continue;
                    }

                    if (lsn <= _afterLsn)
                    {
                        continue;
                    }

                    if (!batch.TryAdd(lsn, type, payload))
                    {
                        _unread = true;
                        return new ValueTask<bool>(true);
                    }

                    continue;
                case ReadStatus.End:
                    if (reader.NextLsn < _currentEndLsn && _index < _segments.Length - 1)
                    {
                        WalLog.SegmentShort(_log.Logger, _segments[_index].Path, reader.NextLsn, _currentEndLsn);
                        Corrupt(_currentEndLsn - reader.NextLsn, "missing");
                    }

                    CloseCurrent();
                    continue;
                default:
                    WalLog.CorruptRecord(
                        _log.Logger,
                        _segments[_index].Path,
                        status == ReadStatus.Torn ? "truncated" : "checksum-mismatched",
                        reader.Position,
                        reader.NextLsn,
                        _currentEndLsn - 1);
                    Corrupt(1, status == ReadStatus.Torn ? "bad_length" : "crc_mismatch");
                    CloseCurrent();
                    continue;
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        CloseCurrent();
    }

    private bool TryOpenNext()
    {
        while (++_index < _segments.Length)
        {
            var segment = _segments[_index];
            _currentEndLsn = _index + 1 < _segments.Length ? _segments[_index + 1].FirstLsn : _endLsn;
            if (_currentEndLsn - 1 <= _afterLsn || segment.Length == 0)
            {
                continue;
            }

            try
            {
                _current = SegmentReader.Open(segment.Path, segment.FirstLsn, segment.Length);
                return true;
            }
            catch (FileNotFoundException)
            {
                // Retention deleted it after the snapshot: a checkpoint covered it, so it is not needed.
            }
        }

        return false;
    }

    private void Corrupt(long records, string reason)
    {
        CorruptRecords++;
        _log.CountCorrupt(records, reason);
    }

    private void CloseCurrent()
    {
        _current?.Dispose();
        _current = null;
        _unread = false;
    }
}
