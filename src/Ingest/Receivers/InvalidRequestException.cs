namespace Autopilot.Ingest.Receivers;

/// <summary>The request can never be accepted as sent (HTTP 400 / INVALID_ARGUMENT); the message names the problem.</summary>
public sealed class InvalidRequestException : Exception
{
    public InvalidRequestException()
    {
    }

    public InvalidRequestException(string message)
        : base(message)
    {
    }

    public InvalidRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
