namespace Autopilot.Ingest.Receivers;

/// <summary>
/// The request was refused because Autopilot cannot keep up; the client should retry after
/// <see cref="RetryAfter"/>. <see cref="Unavailable"/> distinguishes "disk cap reached" (HTTP 503 /
/// UNAVAILABLE) from "queues full" (HTTP 429 / RESOURCE_EXHAUSTED).
/// </summary>
public sealed class OverloadedException : Exception
{
    public OverloadedException()
    {
    }

    public OverloadedException(string message)
        : base(message)
    {
    }

    public OverloadedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OverloadedException(string message, TimeSpan retryAfter, bool unavailable, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
        Unavailable = unavailable;
    }

    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);

    public bool Unavailable { get; }
}
