namespace Autopilot.Simulator;

/// <summary>Where a simulation is, for <see cref="SimulationProgress"/>.</summary>
public enum SimulationPhase
{
    /// <summary>Simulated time is running faster than real time (a scenario, or the demo's history backfill).</summary>
    FastForward,

    /// <summary>The demo's backfill is done; from here simulated time follows the wall clock.</summary>
    Live,

    /// <summary>A fault has just been injected (<see cref="SimulationProgress.Fault"/> says which).</summary>
    FaultInjected,

    /// <summary>A fault has just been removed (the demo's scheduled end; a deploy is rolled back).</summary>
    FaultCleared,

    /// <summary>The simulation has stopped and flushed everything.</summary>
    Completed,
}
