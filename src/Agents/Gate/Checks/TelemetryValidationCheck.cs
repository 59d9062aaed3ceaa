using Autopilot.Agents.Gate.Policy;
using Autopilot.Agents.Gate.Targets;
using Autopilot.Agents.Validate;

namespace Autopilot.Agents.Gate.Checks;

/// <summary>
/// telemetry-validation: a Telemetry Validator report (<c>autopilot validate</c>, given with --validation-report)
/// proves the service's signals flow. Verdict FAIL fails the check with the failed checks as findings; a report made
/// for another commit than the gate's fails unless <c>allow_stale_commit</c>; no report for the service fails when
/// <c>require_report</c> is set and is skipped otherwise.
/// </summary>
internal sealed class TelemetryValidationCheck : IGateCheck
{
    public string Id => GateChecks.TelemetryValidation;

    public bool AppliesTo(GateTarget target, GateContext context) => target.IsService;

    public CheckRun Run(GateTarget target, CheckPolicy policy, GateContext context)
    {
        var reports = context.Reports.Where(r => string.Equals(r.Report.Service, target.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (reports.Count == 0)
        {
            const string Fix = "run autopilot validate for the service and pass its report with --validation-report <file>";
            return policy.RequireReport
                ? CheckRun.Fail($"no validation report for service '{target.Name}'", Fix,
                    [new GateFinding(null, null, "missing_validation_report", $"the tier requires a Telemetry Validator report for '{target.Name}' and none was given" + (context.Reports.Count > 0 ? $" (reports given: {string.Join(", ", context.Reports.Select(r => r.Report.Service))})" : string.Empty), false)])
                : CheckRun.Skip($"no validation report for service '{target.Name}' (not required in this tier)");
        }

        var findings = new List<GateFinding>();
        var passed = 0;
        var skipped = 0;
        foreach (var (file, report) in reports)
        {
            if (!policy.AllowStaleCommit && context.HeadCommit is { } head && !string.Equals(report.Commit, head, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new GateFinding(file, null, "stale_validation_report",
                    $"{file} was made for commit {report.Commit ?? "(none)"}, but the gate runs on {head}; validate this commit", false));
            }

            foreach (var check in report.Checks)
            {
                switch (check.Status)
                {
                    case CheckStatus.Fail:
                        var trace = check.Evidence.TraceIds.Count > 0 ? $" (trace {check.Evidence.TraceIds[0]})" : string.Empty;
                        findings.Add(new GateFinding(file, null, "validation:" + check.Kind, $"{check.Name}: {check.Message}{trace}", false));
                        break;
                    case CheckStatus.Pass:
                        passed++;
                        break;
                    default:
                        skipped++;
                        break;
                }
            }

            if (report.Verdict == Verdict.Fail && !report.Checks.Any(c => c.Status == CheckStatus.Fail))
            {
                findings.Add(new GateFinding(file, null, "validation_verdict", $"{file}: verdict FAIL", false));
            }
        }

        return findings.Count == 0
            ? CheckRun.Pass($"validator report: PASS ({passed} checks passed, {skipped} skipped) for commit {reports[0].Report.Commit ?? "(none)"}")
            : CheckRun.Fail($"validator report for '{target.Name}': {findings.Count} problem(s)", "fix the failing signals (see the report's evidence) and validate again", findings);
    }
}
