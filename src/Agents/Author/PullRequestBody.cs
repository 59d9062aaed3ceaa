using System.Text;
using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Author;

/// <summary>The pull request's title and body (markdown): what changed, why (the plan's gaps and evidence), how to verify.</summary>
internal static class PullRequestBody
{
    public static string Title(IReadOnlyList<GapResult> onBranch)
    {
        var services = onBranch.Select(g => g.Service).Where(s => s is not null).Distinct(StringComparer.Ordinal).ToList();
        var where = services.Count switch
        {
            0 => "the repository",
            <= 3 => string.Join(", ", services),
            _ => $"{services.Count} services",
        };
        return $"Autopilot: close {onBranch.Count} observability gap{(onBranch.Count == 1 ? string.Empty : "s")} in {where}";
    }

    public static string Build(DiffPlan plan, AuthorReport report)
    {
        var onBranch = report.Gaps.Where(g => g.Outcome is GapOutcome.Committed or GapOutcome.AlreadyApplied).ToList();
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(Title(onBranch)).AppendLine();
        sb.AppendLine($"Made by `autopilot author` from a Diff Plan of `{plan.Repo.Name}` (overall confidence {plan.OverallConfidence:0.00}). One commit per gap; every change is generated from a template under `templates/` and can be regenerated: running `autopilot author` again on this branch changes nothing.");
        sb.AppendLine();

        sb.AppendLine("## What");
        sb.AppendLine();
        foreach (var gap in onBranch)
        {
            var commit = gap.Commit is null ? string.Empty : $" ({gap.Commit[..Math.Min(7, gap.Commit.Length)]})";
            sb.AppendLine($"- **{gap.Subject}**{commit}, from {string.Join(", ", gap.Changes.Select(c => $"`{c.TemplateId}`"))}");
            if (gap.Files.Count > 0)
            {
                sb.AppendLine($"  - {string.Join(", ", gap.Files.Select(f => $"`{f}`"))}");
            }
        }

        if (onBranch.Count == 0)
        {
            sb.AppendLine("Nothing: no change of the plan could be applied.");
        }

        sb.AppendLine();
        sb.AppendLine("## Why");
        sb.AppendLine();
        foreach (var result in onBranch)
        {
            var gap = plan.Gaps.First(g => g.Id == result.GapId);
            sb.AppendLine($"- `{gap.Id}` ({Snake(gap.Type)}, confidence {gap.Confidence:0.00}): {gap.Summary}");
            foreach (var e in gap.Evidence.Take(3))
            {
                var at = e.Line is { } line ? $"{e.File}:{line}" : e.File;
                sb.AppendLine($"  - `{at}`: looked for {e.LookedFor}; {(e.Found is null ? "not found" : $"found `{e.Found}`")}");
            }
        }

        var guidance = onBranch.SelectMany(g => g.Changes).Select(c => c.Guidance).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var notes = onBranch.SelectMany(g => g.Changes).SelectMany(c => c.Notes).Distinct(StringComparer.Ordinal).ToList();
        if (guidance.Count > 0 || notes.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Still to do by hand");
            sb.AppendLine();
            foreach (var note in notes)
            {
                sb.AppendLine("- " + note);
            }

            foreach (var g in guidance)
            {
                sb.AppendLine(g).AppendLine();
            }
        }

        sb.AppendLine();
        sb.AppendLine("## How to verify");
        sb.AppendLine();
        sb.AppendLine("```sh");
        foreach (var command in onBranch.SelectMany(g => g.Changes).SelectMany(c => c.Verify).Distinct(StringComparer.Ordinal))
        {
            sb.AppendLine(command);
        }

        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("Then run the service against Autopilot (`OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318`) and check that its spans arrive: `autopilot triage --urn urn:autopilot:service:<env>:<service>`.");

        var failed = report.Gaps.Where(g => g.Outcome == GapOutcome.Failed).ToList();
        if (failed.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Not included");
            sb.AppendLine();
            foreach (var gap in failed)
            {
                sb.AppendLine($"- `{gap.GapId}`: {string.Join("; ", gap.Errors)}");
            }
        }

        return sb.ToString();
    }

    private static string Snake(GapType type) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(type.ToString());
}
