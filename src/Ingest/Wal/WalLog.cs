using Microsoft.Extensions.Logging;

namespace Autopilot.Ingest.Wal;

internal static partial class WalLog
{
    [LoggerMessage(1, LogLevel.Information, "Write-ahead log opened in {Directory}: {Segments} segment(s), {Bytes} bytes, next LSN {NextLsn}, checkpoint {CheckpointLsn}")]
    public static partial void Opened(ILogger logger, string directory, int segments, long bytes, long nextLsn, long checkpointLsn);

    [LoggerMessage(2, LogLevel.Warning, "Write-ahead log segment {Segment} ended in a {Kind} record at byte {Offset}; truncated {Bytes} trailing bytes (never acknowledged)")]
    public static partial void TornTailTruncated(ILogger logger, string segment, string kind, long offset, long bytes);

    [LoggerMessage(3, LogLevel.Error, "Write-ahead log segment {Segment} has a {Kind} record at byte {Offset} (LSN {Lsn}); skipping the rest of the segment, records up to LSN {LastSkippedLsn} are lost")]
    public static partial void CorruptRecord(ILogger logger, string segment, string kind, long offset, long lsn, long lastSkippedLsn);

    [LoggerMessage(4, LogLevel.Error, "Write-ahead log checkpoint file in {Directory} is damaged; replaying from the oldest segment (duplicates possible, nothing lost)")]
    public static partial void CheckpointDamaged(ILogger logger, string directory);

    [LoggerMessage(5, LogLevel.Error, "Write-ahead log writer failed; every pending and later append fails until the log is reopened")]
    public static partial void WriterFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "Could not delete write-ahead log segment {Segment}; it is retried when the log is next opened")]
    public static partial void DeleteFailed(ILogger logger, string segment, Exception exception);

    [LoggerMessage(7, LogLevel.Error, "Write-ahead log segment {Segment} ends at LSN {EndLsn} but the next segment starts at {NextFirstLsn}; records in between are missing")]
    public static partial void SegmentShort(ILogger logger, string segment, long endLsn, long nextFirstLsn);
}
