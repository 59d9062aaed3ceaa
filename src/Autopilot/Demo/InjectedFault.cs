namespace Autopilot.Host.Demo;

/// <summary>A planned fault that has been injected: at <paramref name="OnsetUnixNano"/> in event time, <paramref name="After"/> into the live phase.</summary>
internal sealed record InjectedFault(PlannedFault Fault, long OnsetUnixNano, TimeSpan After, long InjectedTimestamp);
