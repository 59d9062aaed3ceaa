namespace Autopilot.Agents.Gate;

/// <summary>
/// What <c>autopilot gate</c> decided: per target (a service, or the repository for files outside services) its
/// tier and every check with result, enforcement mode, outcome and findings; what the next gate will need; the
/// waivers. Serialized with <see cref="GateStatusJson"/>; the wire shape is <c>schemas/gate-status.schema.json</c> (draft-07).
/// </summary>
/// <param name="SchemaVersion">"1".</param>
/// <param name="Gate">The gate's name (the policy's <c>gate</c>).</param>
/// <param name="Status">PASS, WARN or FAIL: the worst target.</param>
/// <param name="ExitCode">0 for PASS and WARN, 1 for FAIL.</param>
/// <param name="Repo">What was compared.</param>
/// <param name="EvaluatedAt">The instant rollout dates and waiver expiries were judged against (<c>--now</c> or the clock).</param>
/// <param name="Policy">Which policy applied.</param>
/// <param name="Summary">Counts of check outcomes over all targets.</param>
/// <param name="Targets">Every target, services first.</param>
/// <param name="Next">What will tighten next: failing checks whose mode becomes stricter, waivers that expire.</param>
/// <param name="Waivers">Every waiver of the policy and what became of it.</param>
/// <param name="DurationMs">Wall time of the evaluation.</param>
public sealed record GateStatus(
    string SchemaVersion,
    string Gate,
    GateVerdict Status,
    int ExitCode,
    GateRepo Repo,
    DateTimeOffset EvaluatedAt,
    GatePolicyInfo Policy,
    GateSummary Summary,
    IReadOnlyList<GateTargetStatus> Targets,
    IReadOnlyList<GateNextStep> Next,
    IReadOnlyList<GateWaiverStatus> Waivers,
    long DurationMs)
{
    public const string CurrentSchemaVersion = "1";
}
