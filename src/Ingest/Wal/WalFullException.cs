namespace Autopilot.Ingest.Wal;

/// <summary>
/// The append would take the log's un-checkpointed bytes past <see cref="WalOptions.MaxTotalBytes"/>; nothing was
/// written. Retryable once consumers checkpoint (which frees segments), so it is a <see cref="WalOverloadedException"/>.
/// </summary>
public sealed class WalFullException : WalOverloadedException
{
    public WalFullException()
        : base("The write-ahead log is full; retry after consumers checkpoint.")
    {
    }

    public WalFullException(string message)
        : base(message)
    {
    }

    public WalFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
