using System.CommandLine;
using System.Text.Json;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Ingest.Inventory;

namespace Autopilot.Host.Commands.OnCall;

/// <summary>
/// <c>autopilot health</c>: every asset by health (critical / warning / healthy, from open incidents and the
/// findings of the last window), the open incidents, and the checks to run next.
/// </summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var common = new OnCallOptions();
        var window = new Option<TimeSpan>("--window") { Description = "How far back findings count towards an asset's health.", DefaultValueFactory = _ => TimeSpan.FromHours(1) };
        var all = new Option<bool>("--all") { Description = "List healthy assets too (by default only their count)." };
        var command = new Command("health", "Assets by health, open incidents and what to check next.") { window, all };
        common.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            if (parse.GetValue(window) is var w && (w <= TimeSpan.Zero || w > TimeSpan.FromDays(366)))
            {
                await stderr.WriteLineAsync("autopilot health: --window must be between 1 second and 366 days, e.g. 00:30:00 or 1.00:00:00").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using var api = common.Connect(parse);
            HealthReport report;
            try
            {
                report = await BuildAsync(api, parse.GetValue(window), DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            }
            catch (SourceException e)
            {
                await stderr.WriteLineAsync("autopilot health: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            if (common.Json(parse))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(report, Format.Json)).ConfigureAwait(false);
            }
            else
            {
                await WriteTableAsync(stdout, report, parse.GetValue(all)).ConfigureAwait(false);
            }

            return report.OpenIncidents.Count > 0 || report.Assets.Any(a => a.Health != "healthy") ? ExitCodes.Alert : ExitCodes.Ok;
        });
        return command;
    }

    internal static async Task<HealthReport> BuildAsync(ServerApi api, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var assets = await api.ListAsync<AssetRecord>("/api/assets?limit=10000", "assets", cancellationToken).ConfigureAwait(false);
        var incidents = await api.ListAsync<OpenIncident>("/api/incidents?status=open&limit=1000&items=0", "incidents", cancellationToken).ConfigureAwait(false);
        var fromMs = (now - window).ToUnixTimeMilliseconds();
        var findings = await api.ListAsync<Finding>($"/api/findings?from={fromMs}&limit=10000", "findings", cancellationToken).ConfigureAwait(false);

        // The worst thing that touches each URN: an open incident's severity or a recent finding's.
        var worst = new Dictionary<string, (FindingSeverity Severity, string Why)>(StringComparer.Ordinal);
        void Note(string urn, FindingSeverity severity, string why)
        {
            if (!worst.TryGetValue(urn, out var current) || severity > current.Severity)
            {
                worst[urn] = (severity, why);
            }
        }

        foreach (var finding in findings)
        {
            Note(finding.Urn, finding.Severity, $"{finding.Kind}: {finding.Summary}");
        }

        foreach (var incident in incidents)
        {
            foreach (var urn in incident.AffectedUrns)
            {
                Note(urn, incident.Severity, $"open incident {incident.Id}: {incident.Summary}");
            }
        }

        var known = assets.Select(a => a.Urn).ToHashSet(StringComparer.Ordinal);
        var rows = assets.Select(a => Row(a.Urn, a.Kind, a.LastSeen, worst))
            .Concat(worst.Keys.Where(u => !known.Contains(u)).Select(u => Row(u, KindOf(u), null, worst)))
            .OrderBy(r => Rank(r.Health)).ThenBy(r => r.Urn, StringComparer.Ordinal)
            .ToList();

        var next = new List<string>();
        foreach (var incident in incidents.OrderByDescending(i => i.Severity).ThenBy(i => i.OpenedUnixNano))
        {
            var suspect = incident.SuspectedRoots.Count > 0 ? incident.SuspectedRoots[0].Urn : (incident.AffectedUrns.Count > 0 ? incident.AffectedUrns[0] : null);
            next.Add($"autopilot rca {incident.Id}    # why did {incident.Id} happen");
            if (suspect is not null)
            {
                next.Add($"autopilot triage --urn {suspect}    # errors, log templates, changes and runbook steps of the top suspect");
            }
        }

        if (next.Count == 0 && rows.Any(r => r.Health != "healthy"))
        {
            var first = rows.First(r => r.Health != "healthy");
            next.Add($"autopilot triage --urn {first.Urn}    # {first.Health} without an open incident");
        }

        return new HealthReport(now, window, rows, incidents, next);
    }

    private static AssetHealth Row(string urn, string kind, DateTimeOffset? lastSeen, Dictionary<string, (FindingSeverity Severity, string Why)> worst) =>
        worst.TryGetValue(urn, out var w)
            ? new AssetHealth(urn, kind, w.Severity switch { FindingSeverity.Critical => "critical", FindingSeverity.Warning => "warning", _ => "healthy" }, lastSeen, w.Severity == FindingSeverity.Info ? null : w.Why)
            : new AssetHealth(urn, kind, "healthy", lastSeen, null);

    private static int Rank(string health) => health switch { "critical" => 0, "warning" => 1, _ => 2 };

    private static string KindOf(string urn)
    {
        var parts = urn.Split(':');
        return parts.Length > 2 ? parts[2] : "unknown";
    }

    private static async Task WriteTableAsync(TextWriter stdout, HealthReport report, bool all)
    {
        var unhealthy = report.Assets.Count(a => a.Health != "healthy");
        await stdout.WriteLineAsync($"Assets: {report.Assets.Count} ({report.Assets.Count(a => a.Health == "critical")} critical, {report.Assets.Count(a => a.Health == "warning")} warning, {report.Assets.Count - unhealthy} healthy); findings of the last {report.Window}").ConfigureAwait(false);
        var table = new TextTable("HEALTH", "URN", "KIND", "LAST SEEN", "WHY");
        foreach (var asset in report.Assets.Where(a => all || a.Health != "healthy"))
        {
            table.Add(asset.Health.ToUpperInvariant(), asset.Urn, asset.Kind, asset.LastSeen?.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "-", Short(asset.Why ?? string.Empty, 90));
        }

        if (table.Count > 0)
        {
            await table.WriteAsync(stdout).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync().ConfigureAwait(false);
        if (report.OpenIncidents.Count == 0)
        {
            await stdout.WriteLineAsync("Open incidents: none").ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync($"Open incidents: {report.OpenIncidents.Count}").ConfigureAwait(false);
            var incidents = new TextTable("ID", "SEVERITY", "OPENED", "ASSETS", "TOP SUSPECT", "SUMMARY");
            foreach (var i in report.OpenIncidents)
            {
                incidents.Add(i.Id, i.Severity.ToString().ToLowerInvariant(), Format.Time(i.OpenedUnixNano), i.AffectedUrns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    i.SuspectedRoots.Count > 0 ? i.SuspectedRoots[0].Urn : "-", Short(i.Summary, 70));
            }

            await incidents.WriteAsync(stdout).ConfigureAwait(false);
        }

        if (report.NextChecks.Count > 0)
        {
            await stdout.WriteLineAsync().ConfigureAwait(false);
            await stdout.WriteLineAsync("Next checks:").ConfigureAwait(false);
            foreach (var check in report.NextChecks)
            {
                await stdout.WriteLineAsync("  " + check).ConfigureAwait(false);
            }
        }
    }

    internal static string Short(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

internal sealed record AssetHealth(string Urn, string Kind, string Health, DateTimeOffset? LastSeen, string? Why);

internal sealed record HealthReport(DateTimeOffset Now, TimeSpan Window, IReadOnlyList<AssetHealth> Assets, IReadOnlyList<OpenIncident> OpenIncidents, IReadOnlyList<string> NextChecks);

/// <summary>
/// An open incident as health reads and prints it: how many findings and timeline entries it has, not the lists (a
/// chronic failure's incident has tens of thousands of each; <c>GET /api/incidents/{id}</c> has them).
/// </summary>
internal sealed record OpenIncident(
    string Id,
    IncidentStatus Status,
    FindingSeverity Severity,
    long OpenedUnixNano,
    long UpdatedUnixNano,
    IReadOnlyList<string> AffectedUrns,
    IReadOnlyList<SuspectedRoot> SuspectedRoots,
    string Summary,
    int FindingCount,
    int TimelineCount);
