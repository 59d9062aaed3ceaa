namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>A NAB file (data CSV, windows.json, profiles.json) is missing or malformed; the message names the file and row.</summary>
public sealed class NabFormatException : Exception
{
    public NabFormatException()
    {
    }

    public NabFormatException(string message)
        : base(message)
    {
    }

    public NabFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
