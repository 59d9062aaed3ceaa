namespace Autopilot.Rca.Graph;

/// <summary>The graph store cannot be reached or used; the message names the store and what to check.</summary>
public sealed class GraphStoreException : Exception
{
    public GraphStoreException()
    {
    }

    public GraphStoreException(string message)
        : base(message)
    {
    }

    public GraphStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
