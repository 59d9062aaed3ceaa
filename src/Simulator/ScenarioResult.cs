namespace Autopilot.Simulator;

/// <summary>
/// What a scenario run sent (<see cref="Stats"/>), a digest of it (<see cref="ContentHash"/>: the same seed and
/// start give the same digest; trace and span ids, drawn by the SDK, are not part of it) and how long it took.
/// </summary>
public sealed record ScenarioResult(Scenario Scenario, SimulationStats Stats, string ContentHash, TimeSpan Elapsed);
