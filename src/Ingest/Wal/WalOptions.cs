namespace Autopilot.Ingest.Wal;

/// <summary>Options for <see cref="WriteAheadLog"/>. Every default lives here and only here.</summary>
public sealed class WalOptions
{
    /// <summary>Smallest accepted <see cref="SegmentSizeBytes"/>.</summary>
    public const long MinSegmentSizeBytes = 4 * 1024;

    /// <summary>Smallest accepted <see cref="MaxPendingBytes"/>.</summary>
    public const long MinPendingBytes = 1024;

    /// <summary>Largest accepted <see cref="MaxPendingBytes"/>: a record is copied into one pooled array.</summary>
    public const long MaxPendingBytesLimit = 1L << 30;

    /// <summary>Directory holding the segment files (<c>&lt;first LSN, 20 digits&gt;.wal</c>) and the <c>checkpoint</c> file. Created when missing. Required.</summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>
    /// A segment is sealed and a new one started once the next record would take it past this size. Default 64 MiB.
    /// A single record larger than this gets a segment of its own (it is never split).
    /// </summary>
    public long SegmentSizeBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Cap on the log's bytes on disk. Default 1 GiB. Retained checkpointed segments are deleted first when the log
    /// grows past it; an append that would take the not-yet-checkpointed bytes (plus those queued) past it is refused
    /// with <see cref="WalFullException"/>. Must be at least twice <see cref="SegmentSizeBytes"/>.
    /// </summary>
    public long MaxTotalBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>
    /// How many sealed segments that are entirely at or below the checkpoint are kept (newest first) for
    /// <c>autopilot replay</c> and post-mortems. Default 2; 0 deletes them as soon as a checkpoint covers them.
    /// Retention is by count only; <see cref="MaxTotalBytes"/> always wins over it.
    /// </summary>
    public int RetentionSegments { get; set; } = 2;

    /// <summary>
    /// Bound on bytes accepted but not yet durable (queued for, or inside, the current group commit). Default 32 MiB.
    /// When an append would exceed it, <see cref="WriteAheadLog.AppendAsync"/> fails at once with
    /// <see cref="WalOverloadedException"/> instead of waiting. It also bounds one record: a payload larger than
    /// this minus the 9-byte header can never be queued and is refused with <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public long MaxPendingBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Whether each group commit, segment creation and checkpoint is fsynced. Default true. Turning it off keeps
    /// the data safe across a process crash (the page cache survives) but not across a power loss or kernel panic.
    /// </summary>
    public bool FsyncEnabled { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("wal.directory must not be empty.", nameof(Directory));
        }

        if (SegmentSizeBytes < MinSegmentSizeBytes)
        {
            throw new ArgumentException(
                $"wal.segmentSizeBytes must be at least {MinSegmentSizeBytes}, got {SegmentSizeBytes}.", nameof(SegmentSizeBytes));
        }

        if (MaxTotalBytes < 2 * SegmentSizeBytes)
        {
            throw new ArgumentException(
                $"wal.maxTotalBytes must be at least twice wal.segmentSizeBytes ({2 * SegmentSizeBytes}), got {MaxTotalBytes}.",
                nameof(MaxTotalBytes));
        }

        if (RetentionSegments < 0)
        {
            throw new ArgumentException($"wal.retentionSegments must not be negative, got {RetentionSegments}.", nameof(RetentionSegments));
        }

        if (MaxPendingBytes < MinPendingBytes || MaxPendingBytes > MaxPendingBytesLimit)
        {
            throw new ArgumentException(
                $"wal.maxPendingBytes must be between {MinPendingBytes} and {MaxPendingBytesLimit}, got {MaxPendingBytes}.",
                nameof(MaxPendingBytes));
        }

        if (MaxPendingBytes > MaxTotalBytes)
        {
            throw new ArgumentException(
                $"wal.maxPendingBytes ({MaxPendingBytes}) must not exceed wal.maxTotalBytes ({MaxTotalBytes}).", nameof(MaxPendingBytes));
        }
    }
}
