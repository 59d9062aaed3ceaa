namespace Autopilot.Host.Demo;

/// <summary>An incident as the demo reports it: the record from the engines and the RCA analyzer's answer for it.</summary>
/// <param name="Id">Incident id.</param>
/// <param name="Url">The incident's page on the dashboard.</param>
/// <param name="Severity">info, warning or critical.</param>
/// <param name="Status">open, acknowledged or resolved.</param>
/// <param name="OpenedAt">Event time of its first finding.</param>
/// <param name="Phase"><c>backfill</c> when it opened during the simulated history, <c>live</c> otherwise.</param>
/// <param name="Findings">How many findings it lists.</param>
/// <param name="AffectedUrns">The assets it covers.</param>
/// <param name="Summary">The RCA answer's summary.</param>
/// <param name="RootCauses">The RCA answer's ranked root causes.</param>
/// <param name="Action">The RCA answer's first recommended action.</param>
/// <param name="Explainer">Which explainer wrote the answer.</param>
internal sealed record DemoIncidentResult(
    string Id,
    string Url,
    string Severity,
    string Status,
    DateTimeOffset OpenedAt,
    string Phase,
    int Findings,
    IReadOnlyList<string> AffectedUrns,
    string? Summary,
    IReadOnlyList<DemoRootCause> RootCauses,
    DemoAction? Action,
    string? Explainer);
