namespace Autopilot.Simulator.Simulation;

/// <summary>How an operation ended: when (simulated Unix nanoseconds), with which status (HTTP code; 200 for a consumer that succeeded), and why it failed.</summary>
internal readonly record struct Outcome(long End, int Status, string? Reason)
{
    public bool Failed => Status >= 500;
}
