using System.Globalization;
using System.Text;

namespace Autopilot.Agents.Gate.Output;

/// <summary>
/// GitHub Actions output: workflow-command annotations (<c>::error file=…,line=…,title=…::message</c>) for failed and
/// would-fail findings, <c>::warning</c> for warned ones and expired waivers, <c>::notice</c> for waived ones; and a
/// markdown report appended to <c>$GITHUB_STEP_SUMMARY</c>.
/// </summary>
public static class GitHubActionsReporter
{
    /// <summary>Findings per check that get their own annotation; the rest are summed up in one.</summary>
    private const int MaxAnnotationsPerCheck = 20;

    public static async Task WriteAnnotationsAsync(GateStatus status, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var t in status.Targets)
        {
            foreach (var c in t.Checks.Where(c => c.Outcome.NeedsAttention()))
            {
                var level = c.Outcome switch
                {
                    CheckOutcome.Failed or CheckOutcome.WouldFail => "error",
                    CheckOutcome.Warned => "warning",
                    _ => "notice",
                };
                var title = $"{c.Check} ({c.Mode.Name()}{(c.Outcome == CheckOutcome.WouldFail ? ", would fail" : c.Outcome == CheckOutcome.Waived ? ", waived" : string.Empty)}): {t.Name}";
                if (c.Findings.Count == 0)
                {
                    await writer.WriteLineAsync(Command(level, null, null, title, c.Message)).ConfigureAwait(false);
                    continue;
                }

                foreach (var f in c.Findings.Take(MaxAnnotationsPerCheck))
                {
                    var message = f.File is null ? $"{f.Message} ({f.Rule})" : f.Message;
                    await writer.WriteLineAsync(Command(f.Waived ? "notice" : level, f.File, f.Line, title, message + (c.Fix is null || f.Waived ? string.Empty : $"\nFix: {c.Fix}"))).ConfigureAwait(false);
                }

                if (c.Findings.Count > MaxAnnotationsPerCheck)
                {
                    await writer.WriteLineAsync(Command(level, null, null, title, $"{c.Findings.Count - MaxAnnotationsPerCheck} more finding(s); see the step summary or the JSON status")).ConfigureAwait(false);
                }
            }
        }

        foreach (var w in status.Waivers.Where(w => w.State == WaiverState.Expired))
        {
            await writer.WriteLineAsync(Command("warning", null, null, "expired waiver",
                $"the waiver of {w.Check} for {w.Scope} owned by {w.Owner} expired on {w.Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} and no longer applies; renew it or remove it from the policy")).ConfigureAwait(false);
        }
    }

    /// <summary>The step summary: verdict, a table of every check, findings, what the next gate needs, waivers.</summary>
    public static string Markdown(GateStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var icon = status.Status switch { GateVerdict.Pass => "✅", GateVerdict.Warn => "⚠️", _ => "❌" };
        sb.Append(inv, $"## {icon} Gate `{status.Gate}`: {status.Status.Name()}\n\n");
        sb.Append(status.Repo.BaseCommit is null
            ? "No base revision: schema and contract comparisons were skipped.\n\n"
            : $"Base `{status.Repo.Base}` ({GateText.Short(status.Repo.BaseCommit)}) vs the working tree at {GateText.Short(status.Repo.HeadCommit)}. Policy: `{status.Policy.Source}`" + (status.Policy.BlockSoftFail ? " (soft-fail blocks)" : string.Empty) + ".\n\n");
        sb.Append("| target | tier | check | mode | outcome | message |\n|---|---|---|---|---|---|\n");
        foreach (var t in status.Targets)
        {
            foreach (var c in t.Checks)
            {
                var outcome = c.Outcome switch
                {
                    CheckOutcome.Passed => "✅ passed",
                    CheckOutcome.Skipped => "➖ skipped",
                    CheckOutcome.Warned => "⚠️ warned",
                    CheckOutcome.WouldFail => "🟠 would fail",
                    CheckOutcome.Failed => "❌ failed",
                    _ => "📝 waived",
                };
                sb.Append(inv, $"| {Cell(t.Name)} | {Cell(t.Tier)} | `{c.Check}` | {c.Mode.Name()} | {outcome} | {Cell(c.Message)} |\n");
            }
        }

        var attention = status.Targets.SelectMany(t => t.Checks.Where(c => c.Outcome.NeedsAttention() && c.Findings.Count > 0).Select(c => (t, c))).ToList();
        if (attention.Count > 0)
        {
            sb.Append("\n### Findings\n");
            foreach (var (t, c) in attention)
            {
                sb.Append(inv, $"\n<details><summary>{Html(t.Name)} / {c.Check}: {c.Findings.Count} finding(s)</summary>\n\n");
                foreach (var f in c.Findings)
                {
                    var where = GateText.Where(f);
                    sb.Append(inv, $"- {(f.Waived ? "~~waived~~ " : string.Empty)}{(where.Length > 0 ? $"`{where}` " : string.Empty)}**{f.Rule}**: {Inline(f.Message)}\n");
                }

                if (c.Fix is not null)
                {
                    sb.Append(inv, $"\nFix: {Inline(c.Fix)}\n");
                }

                sb.Append("\n</details>\n");
            }
        }

        if (status.Next.Count > 0)
        {
            sb.Append("\n### What the next gate needs\n\n");
            foreach (var n in status.Next)
            {
                var why = n.Reason == "waiver_expiry" ? " (waiver expires)" : string.Empty;
                sb.Append(inv, $"- From **{n.From.ToString("yyyy-MM-dd", inv)}** `{n.Check}` on {Inline(n.Target)} is **{n.Mode.Name()}**{why}: {Inline(n.Needs)}\n");
            }
        }

        if (status.Waivers.Count > 0)
        {
            sb.Append("\n### Waivers\n\n| check | scope | owner | expires | state | reason |\n|---|---|---|---|---|---|\n");
            foreach (var w in status.Waivers)
            {
                sb.Append(inv, $"| `{w.Check}` | {Cell(w.Scope)} | {Cell(w.Owner)} | {w.Expires.ToString("yyyy-MM-dd", inv)} | {w.State.ToString().ToLowerInvariant()} | {Cell(w.Reason ?? string.Empty)} |\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>One workflow command with GitHub's escaping (data: % CR LF; properties: also : and ,).</summary>
    internal static string Command(string level, string? file, int? line, string title, string message)
    {
        var props = new List<string>();
        if (file is not null)
        {
            props.Add("file=" + EscapeProperty(file));
            if (line is { } l)
            {
                props.Add("line=" + l.ToString(CultureInfo.InvariantCulture));
            }
        }

        props.Add("title=" + EscapeProperty(title));
        return $"::{level} {string.Join(',', props)}::{EscapeData(message)}";
    }

    internal static string EscapeData(string s) => s.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    internal static string EscapeProperty(string s) => EscapeData(s).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);

    private static string Cell(string s) => Inline(s).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Inline(string s) => s.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Html(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
