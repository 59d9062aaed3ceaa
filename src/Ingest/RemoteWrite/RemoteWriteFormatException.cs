namespace Autopilot.Ingest.RemoteWrite;

/// <summary>
/// A remote write body we cannot accept (bad snappy, bad protobuf, a series without <c>__name__</c>,
/// too large). Permanent: receivers answer 400 and Prometheus drops the batch instead of retrying.
/// </summary>
public sealed class RemoteWriteFormatException : FormatException
{
    public RemoteWriteFormatException()
        : base("invalid Prometheus remote write request")
    {
    }

    public RemoteWriteFormatException(string message)
        : base(message)
    {
    }

    public RemoteWriteFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
