namespace Autopilot.Ingest.Wal;

/// <summary>
/// A reusable buffer of records that <see cref="WalReader.ReadBatchAsync"/> fills. Payloads point into the batch's own
/// memory and stay valid until the next fill.
/// </summary>
public sealed class WalRecordBatch
{
    private readonly WalRecord[] _records;
    private byte[] _buffer;
    private int _used;

    /// <param name="maxRecords">Most records per fill.</param>
    /// <param name="maxBytes">Payload bytes per fill; a single record larger than this still fits alone (the buffer grows).</param>
    public WalRecordBatch(int maxRecords = 1024, int maxBytes = 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _records = new WalRecord[maxRecords];
        _buffer = new byte[maxBytes];
    }

    /// <summary>Records in this fill.</summary>
    public int Count { get; private set; }

    /// <summary>The record at <paramref name="index"/>, in LSN order.</summary>
    public WalRecord this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return _records[index];
        }
    }

    internal void Clear()
    {
        Count = 0;
        _used = 0;
    }

    /// <summary>Copies a record in; false when the batch is full (the record was not added).</summary>
    internal bool TryAdd(long lsn, byte type, ReadOnlySpan<byte> payload)
    {
        if (Count == _records.Length)
        {
            return false;
        }

        if (_buffer.Length - _used < payload.Length)
        {
            if (Count > 0)
            {
                return false;
            }

            // Alone in the batch: earlier fills' payloads keep the old array alive for as long as a caller holds them.
            _buffer = new byte[payload.Length];
        }

        payload.CopyTo(_buffer.AsSpan(_used));
        _records[Count++] = new WalRecord(lsn, type, _buffer.AsMemory(_used, payload.Length));
        _used += payload.Length;
        return true;
    }
}
