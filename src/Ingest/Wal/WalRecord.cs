namespace Autopilot.Ingest.Wal;

/// <summary>One record read back from the log.</summary>
/// <param name="Lsn">Log sequence number: 0 for the first record ever appended, then +1 per record.</param>
/// <param name="Type">The caller's record type byte, as given to <see cref="WriteAheadLog.AppendAsync"/>.</param>
/// <param name="Payload">
/// The payload. From a <see cref="WalRecordBatch"/> it is valid only until the batch is filled again;
/// <see cref="WriteAheadLog.ReadFromCheckpointAsync"/> hands out copies.
/// </param>
public readonly record struct WalRecord(long Lsn, byte Type, ReadOnlyMemory<byte> Payload);
