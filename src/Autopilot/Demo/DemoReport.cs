namespace Autopilot.Host.Demo;

/// <summary>
/// What <c>autopilot demo --output json</c> prints at the end: where things were, what was sent, each injected fault
/// with the incident found for it and whether the RCA's top root cause is the fault's ground truth, and the incidents
/// no fault explains.
/// </summary>
/// <param name="Dashboard">The dashboard's URL.</param>
/// <param name="DataDirectory">The server's data directory.</param>
/// <param name="DataDirectoryKept">False when it was a temporary directory, deleted at exit.</param>
/// <param name="Seed">Seed of the traffic and the faults' magnitudes.</param>
/// <param name="BackfillSeconds">Healthy history simulated before going live.</param>
/// <param name="LiveSeconds">How long the live phase ran before the summary.</param>
/// <param name="Environment">The simulated services' environment (the namespace of their URNs).</param>
/// <param name="Traffic">What the simulated shop sent.</param>
/// <param name="Faults">Every scripted fault, in injection order.</param>
/// <param name="OtherIncidents">Incidents that are not any fault's incident (warm-up noise during the backfill, false alarms).</param>
/// <param name="Injected">Faults injected.</param>
/// <param name="Detected">Injected faults with an incident.</param>
/// <param name="Top1Correct">Injected faults whose incident's top root cause is the fault's root.</param>
/// <param name="Interrupted">True when Ctrl+C (or SIGTERM) stopped the demo before its end.</param>
internal sealed record DemoReport(
    string Dashboard,
    string DataDirectory,
    bool DataDirectoryKept,
    int Seed,
    double BackfillSeconds,
    double LiveSeconds,
    string Environment,
    DemoTraffic Traffic,
    IReadOnlyList<DemoFaultResult> Faults,
    IReadOnlyList<DemoIncidentResult> OtherIncidents,
    int Injected,
    int Detected,
    int Top1Correct,
    bool Interrupted);
