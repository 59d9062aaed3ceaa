using System.Globalization;

namespace Autopilot.Agents.Gate.Output;

/// <summary>The human-readable report <c>autopilot gate</c> prints by default.</summary>
public static class GateTextReport
{
    /// <summary>Findings printed per check at most; the JSON has them all.</summary>
    private const int MaxFindingsPerCheck = 20;

    private static readonly string[] Header = ["TARGET", "TIER", "CHECK", "MODE", "OUTCOME", "MESSAGE"];

    public static async Task WriteAsync(GateStatus status, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(writer);
        var inv = CultureInfo.InvariantCulture;
        var compared = status.Repo.BaseCommit is null
            ? "no base given: schema and contract comparisons skipped"
            : $"base {status.Repo.Base} ({GateText.Short(status.Repo.BaseCommit)}) vs working tree at {GateText.Short(status.Repo.HeadCommit)}";
        await writer.WriteLineAsync($"Gate {status.Gate}: {status.Status.Name()} (exit {status.ExitCode}); {compared}; evaluated {status.EvaluatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", inv)} UTC; policy {status.Policy.Source}").ConfigureAwait(false);
        var s = status.Summary;
        await writer.WriteLineAsync($"{s.Targets} target(s), {s.Checks} check(s): {s.Passed} passed, {s.Skipped} skipped, {s.Warned} warned, {s.WouldFail} would fail, {s.Failed} failed, {s.Waived} waived").ConfigureAwait(false);
        await writer.WriteLineAsync().ConfigureAwait(false);

        var rows = new List<string[]> { Header };
        foreach (var t in status.Targets)
        {
            if (t.Checks.Count == 0)
            {
                rows.Add([t.Name, t.Tier, "-", "-", "-", "no checks apply"]);
            }

            foreach (var c in t.Checks)
            {
                rows.Add([t.Name, t.Tier, c.Check, c.Mode.Name(), c.Outcome.Name(), c.Message]);
            }
        }

        var widths = Enumerable.Range(0, 5).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var r in rows)
        {
            var line = string.Join("  ", r.Take(5).Select((cell, i) => cell.PadRight(widths[i]))) + "  " + r[5];
            await writer.WriteLineAsync(line.TrimEnd()).ConfigureAwait(false);
        }

        var attention = status.Targets.SelectMany(t => t.Checks.Where(c => c.Outcome.NeedsAttention()).Select(c => (Target: t, Check: c))).ToList();
        if (attention.Count > 0)
        {
            await writer.WriteLineAsync().ConfigureAwait(false);
            await writer.WriteLineAsync("Findings:").ConfigureAwait(false);
            foreach (var (t, c) in attention)
            {
                await writer.WriteLineAsync($"  {t.Name} / {c.Check} ({c.Mode.Name()}, {c.Outcome.Name()})" + (c.Waiver is null ? string.Empty : $" waived by {c.Waiver}")).ConfigureAwait(false);
                foreach (var f in c.Findings.Take(MaxFindingsPerCheck))
                {
                    var where = GateText.Where(f);
                    await writer.WriteLineAsync($"    {(f.Waived ? "~" : "x")} {(where.Length > 0 ? where + " " : string.Empty)}[{f.Rule}] {f.Message}").ConfigureAwait(false);
                }

                if (c.Findings.Count > MaxFindingsPerCheck)
                {
                    await writer.WriteLineAsync($"    … and {c.Findings.Count - MaxFindingsPerCheck} more (see --output json)").ConfigureAwait(false);
                }

                if (c.Fix is not null)
                {
                    await writer.WriteLineAsync($"    fix: {c.Fix}").ConfigureAwait(false);
                }
            }
        }

        if (status.Next.Count > 0)
        {
            await writer.WriteLineAsync().ConfigureAwait(false);
            await writer.WriteLineAsync("Next gate needs:").ConfigureAwait(false);
            foreach (var n in status.Next)
            {
                var why = n.Reason == "rollout" ? $"becomes {n.Mode.Name()}" : $"waiver expires, then {n.Mode.Name()}";
                await writer.WriteLineAsync($"  from {n.From.ToString("yyyy-MM-dd", inv)}: {n.Target} / {n.Check} {why}: {n.Needs}").ConfigureAwait(false);
            }
        }

        if (status.Waivers.Count > 0)
        {
            await writer.WriteLineAsync().ConfigureAwait(false);
            await writer.WriteLineAsync("Waivers:").ConfigureAwait(false);
            foreach (var w in status.Waivers)
            {
                var state = w.State switch { WaiverState.Applied => "applied", WaiverState.Unused => "unused", _ => "EXPIRED" };
                await writer.WriteLineAsync($"  {state,-8} {w.Check} for {w.Scope} by {w.Owner}, expires {w.Expires.ToString("yyyy-MM-dd", inv)}" + (w.Reason is null ? string.Empty : $": {w.Reason}") + (w.Covered.Count > 0 ? $" (covers {string.Join(", ", w.Covered)})" : string.Empty)).ConfigureAwait(false);
            }
        }
    }
}
