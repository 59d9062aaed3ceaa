namespace Autopilot.Pipeline;

/// <summary>A buffer with <see cref="OverflowStrategy.Fail"/> was full.</summary>
public sealed class BufferOverflowException : Exception
{
    public BufferOverflowException()
    {
    }

    public BufferOverflowException(string message)
        : base(message)
    {
    }

    public BufferOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
