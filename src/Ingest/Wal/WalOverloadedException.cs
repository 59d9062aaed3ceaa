namespace Autopilot.Ingest.Wal;

/// <summary>
/// The log cannot take this append now; nothing was written. Retryable: receivers answer
/// <c>RESOURCE_EXHAUSTED</c> / HTTP 429 with a retry hint. Thrown as is when the group-commit queue is full
/// (<see cref="WalOptions.MaxPendingBytes"/>); see <see cref="WalFullException"/> for the size cap.
/// </summary>
public class WalOverloadedException : Exception
{
    public WalOverloadedException()
        : base("The write-ahead log is overloaded; retry later.")
    {
    }

    public WalOverloadedException(string message)
        : base(message)
    {
    }

    public WalOverloadedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
