using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Lineage;

/// <summary>One OpenLineage run event the simulation will send at <paramref name="TimeUnixNano"/> (simulated time).</summary>
internal sealed record LineageEvent(long TimeUnixNano, string EventType, string RunId, JobSpec Job, IReadOnlyList<LineageDataset> Inputs, IReadOnlyList<LineageDataset> Outputs, string? ErrorMessage);
