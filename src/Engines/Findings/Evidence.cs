namespace Autopilot.Engines.Findings;

/// <summary>
/// One piece of evidence behind a finding: what kind of thing it points at (<c>metric</c>, <c>trace</c>,
/// <c>log_template</c>, <c>schema</c>, <c>window</c>, …), a reference to it (series name, trace id,
/// template, fingerprint), and the observed against the expected value where that applies.
/// </summary>
public sealed record Evidence(string Type, string Reference, double? Observed = null, double? Expected = null, string? Detail = null);
