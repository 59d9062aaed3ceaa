using Autopilot.Simulator.Faults;

namespace Autopilot.Simulator;

/// <summary>A progress report: the phase, simulated time, what has been sent so far, and the fault when one was injected or cleared.</summary>
public sealed record SimulationProgress(SimulationPhase Phase, DateTimeOffset SimulatedTime, long Requests, long Spans, long LineageEvents, FaultSpec? Fault, string Message);
