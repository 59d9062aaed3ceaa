namespace Autopilot.Engines.State;

/// <summary>The engine store cannot be reached or used; the message names the store and what to check.</summary>
public sealed class EngineStoreException : Exception
{
    public EngineStoreException()
    {
    }

    public EngineStoreException(string message)
        : base(message)
    {
    }

    public EngineStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
