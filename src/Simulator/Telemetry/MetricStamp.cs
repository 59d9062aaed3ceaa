namespace Autopilot.Simulator.Telemetry;

/// <summary>What the export handler stamps onto a metric request (the simulated start and collection times) and whom it tells how many points it sent.</summary>
internal sealed record MetricStamp(Func<(ulong Start, ulong Time)> Times, Action<int> Sent);
