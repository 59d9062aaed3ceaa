namespace Autopilot.Simulator.Tests.TestSupport;

/// <summary>
/// Tests that run a simulation against a server: one at a time, because they share the machine's two cores and
/// because the trace-structure test listens to every simulated service's ActivitySource in the process.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SimulatorCollection
{
    public const string Name = "simulator";
}
