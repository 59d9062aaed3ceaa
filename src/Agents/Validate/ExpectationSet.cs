namespace Autopilot.Agents.Validate;

/// <summary>expect.yaml: the service under test and everything its telemetry must show.</summary>
/// <param name="Service">The service under test (the report's <c>service</c>; the default for span and metric expectations).</param>
/// <param name="CollectTimeout">How long to wait for telemetry after the traffic; null for the runner's default.</param>
/// <param name="Spans">Spans that must arrive, with their attributes.</param>
/// <param name="Propagation">Parent/child links that must hold across hops and message headers.</param>
/// <param name="Metrics">Metrics that must arrive.</param>
/// <param name="Lineage">OpenLineage events that must arrive.</param>
internal sealed record ExpectationSet(
    string Service,
    TimeSpan? CollectTimeout,
    IReadOnlyList<SpanExpectation> Spans,
    IReadOnlyList<PropagationExpectation> Propagation,
    IReadOnlyList<MetricExpectation> Metrics,
    IReadOnlyList<LineageExpectation> Lineage);
