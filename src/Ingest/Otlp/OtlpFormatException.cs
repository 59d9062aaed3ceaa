namespace Autopilot.Ingest.Otlp;

/// <summary>
/// The one error an OTLP payload can cause: it is not valid protobuf, not valid JSON, or not a valid
/// OTLP request. The message names the problem (and, for JSON, the path), so a receiver can return
/// it as is with <c>INVALID_ARGUMENT</c> / HTTP 400: the request is permanently bad and must not be retried.
/// </summary>
public sealed class OtlpFormatException : Exception
{
    public OtlpFormatException()
        : base("the OTLP payload is malformed.")
    {
    }

    public OtlpFormatException(string message)
        : base(message)
    {
    }

    public OtlpFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
