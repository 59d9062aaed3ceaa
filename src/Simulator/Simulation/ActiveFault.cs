using Autopilot.Simulator.Faults;

namespace Autopilot.Simulator.Simulation;

/// <summary>A fault placed in simulated time: active from <see cref="Start"/> until <see cref="End"/> (null: to the end of the run).</summary>
internal sealed class ActiveFault(FaultSpec spec, long start, long? end)
{
    public FaultSpec Spec { get; } = spec;

    public long Start { get; } = start;

    public long? End { get; } = end;

    /// <summary>Whether the start has been applied (a deploy done, progress reported).</summary>
    public bool Started { get; set; }

    /// <summary>Whether the end has been applied (a deploy rolled back, progress reported).</summary>
    public bool Ended { get; set; }

    public bool IsActive(long at) => at >= Start && (End is null || at < End.Value);
}
