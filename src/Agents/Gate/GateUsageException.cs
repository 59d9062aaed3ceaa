namespace Autopilot.Agents.Gate;

/// <summary>
/// The gate could not run as asked: a bad option, policy file, schema or contract file, report, or repository.
/// The CLI prints the message (one line per problem) and exits 2.
/// </summary>
public sealed class GateUsageException : Exception
{
    public GateUsageException()
    {
    }

    public GateUsageException(string message)
        : base(message)
    {
    }

    public GateUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
