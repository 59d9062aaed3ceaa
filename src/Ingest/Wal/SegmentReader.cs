using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Autopilot.Ingest.Wal;

internal enum ReadStatus
{
    /// <summary>A whole record with a matching CRC.</summary>
    Record,

    /// <summary>Clean end: the limit was reached exactly at a record boundary.</summary>
    End,

    /// <summary>The bytes end inside a record (header or payload cut short, or a length pointing past the end).</summary>
    Torn,

    /// <summary>A whole record whose CRC does not match.</summary>
    Corrupt,
}

/// <summary>
/// Reads records from one segment file sequentially through a buffer. Not thread-safe; one reader per consumer.
/// </summary>
internal sealed class SegmentReader : IDisposable
{
    private const int DefaultBufferSize = 256 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly long _limit;
    private byte[] _buffer = new byte[DefaultBufferSize];
    private long _bufferFileOffset; // file offset of _buffer[0]
    private int _bufferLength;
    private int _lastRecordLength;

    private SegmentReader(SafeFileHandle handle, long firstLsn, long limit)
    {
        _handle = handle;
        _limit = limit;
        NextLsn = firstLsn;
    }

    /// <summary>File offset just after the last good record; where a torn tail gets truncated.</summary>
    public long Position { get; private set; }

    /// <summary>LSN the next record will carry.</summary>
    public long NextLsn { get; private set; }

    /// <summary>Opens <paramref name="path"/> and reads at most <paramref name="limit"/> bytes of it (-1: the whole file).</summary>
    public static SegmentReader Open(string path, long firstLsn, long limit = -1)
    {
        // Delete sharing lets retention remove a segment while a replay still reads it (Windows; Unix never minds).
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var length = RandomAccess.GetLength(handle);
            return new SegmentReader(handle, firstLsn, limit < 0 ? length : Math.Min(limit, length));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the next record. On <see cref="ReadStatus.Record"/>, <paramref name="payload"/> is valid until the next call.
    /// On any other status the reader stays where it is.
    /// </summary>
    public ReadStatus ReadNext(out byte type, out ReadOnlySpan<byte> payload)
    {
        type = 0;
        payload = default;
        var remaining = _limit - Position;
        if (remaining == 0)
        {
            return ReadStatus.End;
        }

        if (remaining < RecordFormat.HeaderSize)
        {
            return ReadStatus.Torn;
        }

        var header = Fill(RecordFormat.HeaderSize);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var recordType = header[8];
        if (length > remaining - RecordFormat.HeaderSize)
        {
            return ReadStatus.Torn;
        }

        var record = Fill(RecordFormat.HeaderSize + (int)length);
        var body = record[RecordFormat.HeaderSize..];
        if (RecordFormat.Checksum(recordType, body) != crc)
        {
            return ReadStatus.Corrupt;
        }

        type = recordType;
        payload = body;
        Position += record.Length;
        NextLsn++;
        _lastRecordLength = record.Length;
        return ReadStatus.Record;
    }

    /// <summary>The record the last successful <see cref="ReadNext"/> returned, again (the buffer has not moved since).</summary>
    public ReadStatus ReReadLast(out byte type, out ReadOnlySpan<byte> payload)
    {
        var record = _buffer.AsSpan((int)(Position - _lastRecordLength - _bufferFileOffset), _lastRecordLength);
        type = record[8];
        payload = record[RecordFormat.HeaderSize..];
        return ReadStatus.Record;
    }

    /// <summary>Makes <paramref name="count"/> bytes from <see cref="Position"/> available; the caller checked they exist in the file.</summary>
    private ReadOnlySpan<byte> Fill(int count)
    {
        var start = (int)(Position - _bufferFileOffset);
        if (start + count <= _bufferLength)
        {
            return _buffer.AsSpan(start, count);
        }

        var kept = _bufferLength - start;
        if (count > _buffer.Length)
        {
            var bigger = new byte[Math.Max(count, _buffer.Length * 2)];
            _buffer.AsSpan(start, kept).CopyTo(bigger);
            _buffer = bigger;
        }
        else
        {
            _buffer.AsSpan(start, kept).CopyTo(_buffer);
        }

        _bufferFileOffset = Position;
        _bufferLength = kept;
        var wanted = (int)Math.Min(_buffer.Length, _limit - _bufferFileOffset);
        while (_bufferLength < wanted)
        {
            var read = RandomAccess.Read(_handle, _buffer.AsSpan(_bufferLength, wanted - _bufferLength), _bufferFileOffset + _bufferLength);
            if (read == 0)
            {
                throw new IOException("Segment file shrank while it was being read.");
            }

            _bufferLength += read;
        }

        return _buffer.AsSpan(0, count);
    }

    public void Dispose() => _handle.Dispose();
}
