namespace Autopilot.Simulator;

/// <summary>A simulation could not deliver its telemetry (the server refused or failed an export for longer than the retry time).</summary>
public sealed class SimulationException : Exception
{
    public SimulationException()
    {
    }

    public SimulationException(string message)
        : base(message)
    {
    }

    public SimulationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
