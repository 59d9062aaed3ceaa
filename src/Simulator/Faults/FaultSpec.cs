namespace Autopilot.Simulator.Faults;

/// <summary>
/// One fault to inject and its ground truth. <paramref name="RootUrn"/> is where the fault is injected (the
/// answer an RCA should give); <paramref name="AffectedUrns"/> is the root plus every asset whose telemetry the
/// fault can change through the topology (callers, steps skipped after a failure, topics, consumers, lineage
/// outputs), which is how the accuracy suite recognises the fault's findings.
/// </summary>
/// <param name="Kind">What is injected.</param>
/// <param name="Target">The service, <c>database.table</c>, job or dataset name the fault is injected into.</param>
/// <param name="RootUrn">The ground-truth root cause.</param>
/// <param name="AffectedUrns">Root first, then the assets the fault can reach.</param>
/// <param name="Magnitude">Latency and slow database: extra milliseconds (median); deploy errors: the share of requests that fail; CPU: the slowdown factor; otherwise 0.</param>
/// <param name="Delay">Deploy errors: time from the deploy to the first error; otherwise zero.</param>
/// <param name="NewVersion">Deploy errors: the <c>service.version</c> deployed.</param>
/// <param name="Variant">Schema change: 0 renames a column (and changes its type), 1 drops one, 2 retypes one.</param>
/// <param name="Description">One line for people.</param>
public sealed record FaultSpec(
    FaultKind Kind,
    string Target,
    string RootUrn,
    IReadOnlyList<string> AffectedUrns,
    double Magnitude,
    TimeSpan Delay,
    string? NewVersion,
    int Variant,
    string Description);
