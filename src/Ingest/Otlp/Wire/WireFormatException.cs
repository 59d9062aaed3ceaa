namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// A protobuf wire-format error found by <see cref="ProtoReader"/>; the decoder that caught it names the item it
/// was reading and turns it into an <see cref="OtlpFormatException"/>.
/// </summary>
internal sealed class WireFormatException : Exception
{
    public WireFormatException()
        : base("malformed protobuf")
    {
    }

    public WireFormatException(string message)
        : base(message)
    {
    }

    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WireFormatException(string problem, int offset)
        : base(problem)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the request where the problem starts.</summary>
    public int Offset { get; }
}
