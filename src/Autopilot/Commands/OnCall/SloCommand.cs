using System.CommandLine;
using System.Text.Json;
using Autopilot.Engines.Anomaly;

namespace Autopilot.Host.Commands.OnCall;

/// <summary>
/// <c>autopilot slo</c>: burn rates of SLOs over the standard windows and whether the multi-window policies of
/// the SRE workbook fire (1h &amp; 5m over 14.4×, 6h &amp; 30m over 6×, 3d &amp; 6h over 1×). From Autopilot's own
/// <c>slo.burn</c> engine (<c>GET /api/slo</c>), or from a Prometheus server given the bad and total event
/// counters as PromQL.
/// </summary>
internal static class SloCommand
{
    private static readonly (string Label, TimeSpan Window)[] Windows =
        [("5m", TimeSpan.FromMinutes(5)), ("30m", TimeSpan.FromMinutes(30)), ("1h", TimeSpan.FromHours(1)), ("6h", TimeSpan.FromHours(6)), ("3d", TimeSpan.FromDays(3))];

    public static Command Create()
    {
        var common = new OnCallOptions();
        var name = new Option<string?>("--name") { Description = "Only this SLO (by name) or URN, from Autopilot's data." };
        var prometheus = new Option<string?>("--prometheus") { Description = "Read the counters from this Prometheus server instead of Autopilot." };
        prometheus.Validators.Add(r => HttpAddress.Validate(r, "--prometheus"));
        var err = new Option<string?>("--err") { Description = "PromQL for bad events: a counter selector (summed as increase over each window) or an expression with $window." };
        var tot = new Option<string?>("--tot") { Description = "PromQL for all events, like --err." };
        var objective = new Option<double?>("--objective") { Description = "SLO objective in (0, 1), e.g. 0.995 (with --prometheus)." };
        var period = new Option<TimeSpan>("--period") { Description = "SLO period for the budget share (with --prometheus).", DefaultValueFactory = _ => TimeSpan.FromDays(30) };
        var at = new Option<DateTimeOffset?>("--at") { Description = "Evaluate as of this time (RFC 3339; with --prometheus). Default: now." };
        var command = new Command("slo", "Burn rates of SLOs over the standard window pairs, from Autopilot or from Prometheus.") { name, prometheus, err, tot, objective, period, at };
        common.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var json = common.Json(parse);
            try
            {
                if (parse.GetValue(prometheus) is { } prometheusAddress)
                {
                    var (e, t, o) = (parse.GetValue(err), parse.GetValue(tot), parse.GetValue(objective));
                    var usage = e is null || t is null ? "--prometheus needs --err and --tot (PromQL for bad and total events)"
                        : o is not (> 0 and < 1) ? "--prometheus needs --objective in (0, 1), e.g. 0.995"
                        : parse.GetValue(period) <= TimeSpan.Zero ? "--period must be positive"
                        : null;
                    if (usage is not null)
                    {
                        await stderr.WriteLineAsync("autopilot slo: " + usage).ConfigureAwait(false);
                        return ExitCodes.Usage;
                    }

                    using var api = new PrometheusApi(HttpAddress.Parse(prometheusAddress));
                    var report = await FromPrometheusAsync(api, e!, t!, o!.Value, parse.GetValue(period), parse.GetValue(at) ?? DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
                    await (json ? stdout.WriteLineAsync(JsonSerializer.Serialize(report, Format.Json)) : WriteAsync(stdout, report)).ConfigureAwait(false);
                    return report.Firing.Count > 0 ? ExitCodes.Alert : ExitCodes.Ok;
                }

                if (parse.GetValue(err) is not null || parse.GetValue(tot) is not null || parse.GetValue(objective) is not null)
                {
                    await stderr.WriteLineAsync("autopilot slo: --err, --tot and --objective go with --prometheus; Autopilot's own SLOs come from its configuration (serve --slo)").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                using var autopilot = common.Connect(parse);
                var filter = parse.GetValue(name);
                var statuses = await autopilot.ListAsync<SloStatus>("/api/slo" + (filter is null ? string.Empty : "?name=" + Uri.EscapeDataString(filter)), "slos", cancellationToken).ConfigureAwait(false);
                await (json ? stdout.WriteLineAsync(JsonSerializer.Serialize(new { slos = statuses }, Format.Json)) : WriteAsync(stdout, statuses)).ConfigureAwait(false);
                return statuses.Any(s => s.Firing.Count > 0) ? ExitCodes.Alert : ExitCodes.Ok;
            }
            catch (SourceException e)
            {
                await stderr.WriteLineAsync("autopilot slo: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }
        });
        return command;
    }

    /// <summary>A counter selector becomes <c>sum(increase(sel[w]))</c>; an expression holding <c>$window</c> gets the window filled in and is summed.</summary>
    internal static string WindowQuery(string promQl, string window) =>
        promQl.Contains("$window", StringComparison.Ordinal)
            ? $"sum({promQl.Replace("$window", window, StringComparison.Ordinal)})"
            : $"sum(increase({promQl}[{window}]))";

    internal static async Task<PrometheusSloReport> FromPrometheusAsync(PrometheusApi api, string err, string tot, double objective, TimeSpan period, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var windows = new List<PrometheusSloWindow>();
        foreach (var (label, _) in Windows)
        {
            var bad = await api.ScalarAsync(WindowQuery(err, label), at, cancellationToken).ConfigureAwait(false);
            var total = await api.ScalarAsync(WindowQuery(tot, label), at, cancellationToken).ConfigureAwait(false);
            var ratio = total > 0 && double.IsFinite(bad) ? Math.Clamp(bad / total, 0, 1) : 0;
            windows.Add(new PrometheusSloWindow(label, bad, total, ratio, ratio / (1 - objective)));
        }

        var firing = new List<string>();
        var policies = new List<PrometheusSloPolicy>();
        foreach (var policy in BurnRate.StandardPolicies)
        {
            var longBurn = windows.Single(w => w.Window == Label(policy.LongWindow)).BurnRate;
            var shortBurn = windows.Single(w => w.Window == Label(policy.ShortWindow)).BurnRate;
            var fires = BurnRate.Fires(policy, longBurn, shortBurn);
            policies.Add(new PrometheusSloPolicy(policy.Name, policy.Factor, longBurn, shortBurn, fires, policy.Severity.ToString().ToLowerInvariant()));
            if (fires)
            {
                firing.Add(policy.Name);
            }
        }

        var consumed = BurnRate.BudgetConsumed(windows[^1].BurnRate, Windows[^1].Window, period);
        return new PrometheusSloReport(err, tot, objective, at, windows, policies, firing, consumed);
    }

    private static string Label(TimeSpan span) => Windows.Single(w => w.Window == span).Label;

    private static async Task WriteAsync(TextWriter stdout, PrometheusSloReport report)
    {
        await stdout.WriteLineAsync($"SLO {Format.Percent(report.Objective)} as of {report.At:yyyy-MM-dd HH:mm:ss'Z'} (bad: {report.Err}; total: {report.Tot})").ConfigureAwait(false);
        var table = new TextTable("WINDOW", "BAD", "TOTAL", "ERROR RATIO", "BURN RATE");
        foreach (var w in report.Windows)
        {
            table.Add(w.Window, Format.Number(w.Bad, "0.##"), Format.Number(w.Total, "0.##"), Format.Percent(w.ErrorRatio), Format.Number(w.BurnRate) + "x");
        }

        await table.WriteAsync(stdout).ConfigureAwait(false);
        await stdout.WriteLineAsync().ConfigureAwait(false);
        var policies = new TextTable("POLICY", "FACTOR", "LONG", "SHORT", "SEVERITY", "FIRES");
        foreach (var p in report.Policies)
        {
            policies.Add(p.Policy, Format.Number(p.Factor) + "x", Format.Number(p.LongBurnRate) + "x", Format.Number(p.ShortBurnRate) + "x", p.Severity, p.Fires ? "YES" : "no");
        }

        await policies.WriteAsync(stdout).ConfigureAwait(false);
        await stdout.WriteLineAsync($"Error budget spent over the last 3d: {Format.Percent(report.BudgetConsumed3d)}").ConfigureAwait(false);
    }

    private static async Task WriteAsync(TextWriter stdout, List<SloStatus> statuses)
    {
        if (statuses.Count == 0)
        {
            await stdout.WriteLineAsync("No SLO targets yet: configure SLOs (serve --slo '<urn>=<objective>') and send spans for them.").ConfigureAwait(false);
            return;
        }

        var table = new TextTable("SLO", "URN", "OBJECTIVE", "AS OF", "5m", "30m", "1h", "6h", "3d", "FIRING", "BUDGET 3d");
        foreach (var s in statuses)
        {
            var burns = s.Windows.Select(w => Format.Number(w.BurnRate) + "x").ToArray();
            table.Add([s.Slo, s.Urn, Format.Percent(s.Objective), Format.Time(s.AsOfUnixNano), .. burns, s.Firing.Count == 0 ? "-" : string.Join(",", s.Firing), Format.Percent(s.BudgetConsumed3d)]);
        }

        await table.WriteAsync(stdout).ConfigureAwait(false);
    }
}

internal sealed record PrometheusSloWindow(string Window, double Bad, double Total, double ErrorRatio, double BurnRate);

internal sealed record PrometheusSloPolicy(string Policy, double Factor, double LongBurnRate, double ShortBurnRate, bool Fires, string Severity);

internal sealed record PrometheusSloReport(string Err, string Tot, double Objective, DateTimeOffset At, IReadOnlyList<PrometheusSloWindow> Windows, IReadOnlyList<PrometheusSloPolicy> Policies, IReadOnlyList<string> Firing, double BudgetConsumed3d);
