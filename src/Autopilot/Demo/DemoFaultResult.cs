namespace Autopilot.Host.Demo;

/// <summary>One scripted fault and what the engines and the RCA analyzer made of it.</summary>
/// <param name="Number">Its number in injection order.</param>
/// <param name="Kind">Fault kind (as <c>--faults</c> names it).</param>
/// <param name="Target">The service, table, job or dataset it was injected into.</param>
/// <param name="RootUrn">The ground-truth root cause.</param>
/// <param name="Description">What was injected, for people.</param>
/// <param name="ScheduledAtSeconds">When it was scheduled, in seconds after the live phase began.</param>
/// <param name="Injected">False when the demo stopped before its time.</param>
/// <param name="InjectedAt">Event time of the injection.</param>
/// <param name="Incident">The incident holding most of its findings; null when none was found.</param>
/// <param name="DetectedAfterSeconds">Wall-clock seconds from the injection until the demo first saw that incident hold its findings.</param>
/// <param name="Findings">How many findings were attributed to it.</param>
/// <param name="RootRank">Where the ground-truth root is in the incident's RCA root causes (1 = top); null when absent.</param>
/// <param name="Top1">True when the RCA's top root cause is the ground-truth root.</param>
internal sealed record DemoFaultResult(
    int Number,
    string Kind,
    string Target,
    string RootUrn,
    string Description,
    double ScheduledAtSeconds,
    bool Injected,
    DateTimeOffset? InjectedAt,
    DemoIncidentResult? Incident,
    double? DetectedAfterSeconds,
    int Findings,
    int? RootRank,
    bool Top1);
