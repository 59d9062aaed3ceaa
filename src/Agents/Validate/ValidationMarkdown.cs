using System.Globalization;
using System.Text;

namespace Autopilot.Agents.Validate;

/// <summary>The report as markdown for people (a PR comment, a CI summary): verdict, checks, evidence, service output.</summary>
public static class ValidationMarkdown
{
    public static string Render(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var verdict = report.Verdict == Verdict.Pass ? "PASS" : "FAIL";
        md.Append(CultureInfo.InvariantCulture, $"# Telemetry validation: {report.Service} — {verdict}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- command: `{report.Command}`\n");
        md.Append(CultureInfo.InvariantCulture, $"- commit: {(report.Commit is null ? "(not a git repository)" : $"`{report.Commit}`")}\n");
        md.Append(CultureInfo.InvariantCulture, $"- receiver: OTLP {report.Receiver.Protocol} at {report.Receiver.OtlpEndpoint}\n");
        md.Append(CultureInfo.InvariantCulture, $"- ran {report.Timing.StartedAt:yyyy-MM-dd HH:mm:ss} UTC for {report.Timing.TotalMs} ms (ready {report.Timing.ReadyMs} ms, traffic {report.Timing.TrafficMs} ms, collecting {report.Timing.CollectMs} ms)\n\n");

        var failed = report.Checks.Count(c => c.Status == CheckStatus.Fail);
        var passed = report.Checks.Count(c => c.Status == CheckStatus.Pass);
        var skipped = report.Checks.Count - failed - passed;
        md.Append(CultureInfo.InvariantCulture, $"## Checks: {passed} passed, {failed} failed, {skipped} skipped\n\n");
        md.Append("| | check | kind | result |\n|---|---|---|---|\n");
        foreach (var c in report.Checks)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Mark(c.Status)} | `{Cell(c.Name)}` | {c.Kind} | {Cell(c.Message)} |\n");
        }

        md.Append('\n');
        var withEvidence = report.Checks.Where(c => c.Evidence.TraceIds.Count > 0 || c.Evidence.SampleSpans.Count > 0).ToList();
        if (withEvidence.Count > 0)
        {
            md.Append("## Evidence\n\n");
            foreach (var c in withEvidence)
            {
                md.Append(CultureInfo.InvariantCulture, $"### {Mark(c.Status)} `{c.Name}`\n\n");
                if (c.Evidence.TraceIds.Count > 0)
                {
                    md.Append("trace ids: ").AppendJoin(", ", c.Evidence.TraceIds.Select(t => $"`{t}`")).Append("\n\n");
                }

                if (c.Evidence.SampleSpans.Count > 0)
                {
                    md.Append("| trace id | span id | parent | service | kind | name | ms | attributes |\n|---|---|---|---|---|---|---|---|\n");
                    foreach (var s in c.Evidence.SampleSpans)
                    {
                        var attributes = string.Join("<br>", s.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"`{Cell(a.Key)}`={Cell(a.Value)}"));
                        md.Append(CultureInfo.InvariantCulture, $"| `{s.TraceId}` | `{s.SpanId}` | {(s.ParentSpanId is null ? "—" : $"`{s.ParentSpanId}`")} | {Cell(s.Service)} | {s.Kind} | {Cell(s.Name)} | {s.DurationMs:0.##} | {attributes} |\n");
                    }

                    md.Append('\n');
                }
            }
        }

        var r = report.Received;
        md.Append("## Received\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{r.Spans} span(s), {r.MetricPoints} metric point(s), {r.Logs} log record(s), {r.LineageEvents} OpenLineage event(s)");
        md.Append(r.Services.Count > 0 ? $" from {string.Join(", ", r.Services.Select(s => $"`{s}`"))}" : string.Empty).Append(".\n");
        if (r.MetricNames.Count > 0)
        {
            md.Append("Metrics: ").AppendJoin(", ", r.MetricNames.Select(n => $"`{n}`")).Append(".\n");
        }

        md.Append('\n');
        md.Append(CultureInfo.InvariantCulture, $"## Traffic\n\n{report.Traffic.RequestsSent} request(s) sent, {report.Traffic.RequestsFailed} not answered as expected, {report.Traffic.MessagesSent} Kafka message(s) delivered.\n");
        foreach (var note in report.Traffic.Notes)
        {
            md.Append(CultureInfo.InvariantCulture, $"- {note}\n");
        }

        if (report.Process is { } p)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## Service output\n\n{(p.ExitedEarly ? $"The service exited by itself with code {p.ExitCode}." : p.ExitCode is null ? "The service was killed after SIGTERM." : $"The service exited with code {p.ExitCode} after SIGTERM.")}\n\n");
            Tail(md, "stdout", p.StdoutTail);
            Tail(md, "stderr", p.StderrTail);
        }

        return md.ToString();
    }

    private static void Tail(StringBuilder md, string name, IReadOnlyList<string> lines)
    {
        md.Append(CultureInfo.InvariantCulture, $"{name} (last {lines.Count} line(s)):\n\n```\n");
        foreach (var line in lines)
        {
            md.Append(line.Replace("```", "'''", StringComparison.Ordinal)).Append('\n');
        }

        md.Append("```\n\n");
    }

    private static string Mark(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "✅",
        CheckStatus.Fail => "❌",
        _ => "⏭️",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
