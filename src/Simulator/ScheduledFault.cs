using Autopilot.Simulator.Faults;

namespace Autopilot.Simulator;

/// <summary>A fault a <see cref="DemoScript"/> injects <paramref name="After"/> the live phase starts, for <paramref name="Duration"/> (null: until the demo stops).</summary>
public sealed record ScheduledFault(FaultSpec Fault, TimeSpan After, TimeSpan? Duration = null);
