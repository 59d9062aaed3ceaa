namespace Autopilot.Simulator.Topology;

/// <summary>
/// An HTTP call to <paramref name="Operation"/> of <paramref name="Service"/>. The caller gives up after
/// <paramref name="Timeout"/> (its client span then fails with <c>error.type=timeout</c>); a failed call fails the
/// caller's request when <paramref name="Required"/>, otherwise the caller degrades and carries on.
/// </summary>
public sealed record CallStep(string Service, string Operation, TimeSpan Timeout, bool Required = true) : StepSpec;
