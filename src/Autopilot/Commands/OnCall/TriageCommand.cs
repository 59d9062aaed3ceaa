using System.CommandLine;
using System.Text.Json;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;

namespace Autopilot.Host.Commands.OnCall;

/// <summary>
/// <c>autopilot triage --urn &lt;urn&gt;</c>: what is wrong with one asset right now: its open incidents, top
/// errors, top and new log templates, recent changes (deploys, schema changes) and the steps of the
/// runbooks that apply.
/// </summary>
internal static class TriageCommand
{
    public static Command Create()
    {
        var common = new OnCallOptions();
        var urn = new Option<string>("--urn") { Description = "The asset to triage, e.g. urn:autopilot:service:prod:checkout.", Required = true };
        var window = new Option<TimeSpan>("--window") { Description = "How far back to look for findings and changes.", DefaultValueFactory = _ => TimeSpan.FromHours(1) };
        var runbooks = new Option<string?>("--runbooks") { Description = "Directory of markdown runbooks (default ./runbooks when it exists; also AUTOPILOT_RUNBOOKS)." };
        var command = new Command("triage", "Top errors, log templates, recent changes and runbook steps for one asset.") { urn, window, runbooks };
        common.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var target = parse.GetValue(urn)!;
            if (!target.StartsWith("urn:autopilot:", StringComparison.Ordinal) || target.Split(':').Length < 5)
            {
                await stderr.WriteLineAsync($"autopilot triage: --urn '{target}' is not an Autopilot URN (urn:autopilot:<kind>:<namespace>:<name>)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            if (parse.GetValue(window) is var w && (w <= TimeSpan.Zero || w > TimeSpan.FromDays(366)))
            {
                await stderr.WriteLineAsync("autopilot triage: --window must be between 1 second and 366 days, e.g. 00:30:00 or 1.00:00:00").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            Runbooks? books = null;
            var dir = parse.GetValue(runbooks) ?? Environment.GetEnvironmentVariable("AUTOPILOT_RUNBOOKS");
            if (dir is null && Directory.Exists("runbooks"))
            {
                dir = "runbooks";
            }

            if (dir is not null)
            {
                try
                {
                    books = Runbooks.Load(dir);
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    await stderr.WriteLineAsync("autopilot triage: " + e.Message).ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
            }

            using var api = common.Connect(parse);
            TriageReport report;
            try
            {
                report = await BuildAsync(api, target, parse.GetValue(window), DateTimeOffset.UtcNow, books, cancellationToken).ConfigureAwait(false);
            }
            catch (SourceException e)
            {
                await stderr.WriteLineAsync("autopilot triage: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            if (common.Json(parse))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(report, Format.Json)).ConfigureAwait(false);
            }
            else
            {
                await WriteTextAsync(stdout, report).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static async Task<TriageReport> BuildAsync(ServerApi api, string urn, TimeSpan window, DateTimeOffset now, Runbooks? runbooks, CancellationToken cancellationToken)
    {
        var escaped = Uri.EscapeDataString(urn);
        var fromMs = (now - window).ToUnixTimeMilliseconds();
        var findings = await api.ListAsync<Finding>($"/api/findings?urn={escaped}&from={fromMs}&limit=10000", "findings", cancellationToken).ConfigureAwait(false);
        var incidents = (await api.ListAsync<Incident>("/api/incidents?status=open&limit=1000&items=0", "incidents", cancellationToken).ConfigureAwait(false))
            .Where(i => i.AffectedUrns.Contains(urn, StringComparer.Ordinal) || i.SuspectedRoots.Any(r => r.Urn == urn)).ToList();

        var errors = findings.Where(f => !f.Kind.StartsWith("log.", StringComparison.Ordinal))
            .OrderByDescending(f => f.Severity).ThenByDescending(f => f.Score).ThenByDescending(f => f.TimeUnixNano).Take(10)
            .Select(f => new TriageItem(f.Kind, f.Severity.ToString().ToLowerInvariant(), f.TimeUnixNano, f.Summary, [.. f.Evidence.Take(3).Select(Describe)]))
            .ToList();
        var templates = findings.Where(f => f.Kind.StartsWith("log.", StringComparison.Ordinal))
            .OrderBy(f => f.Kind == "log.new_template" ? 0 : 1).ThenByDescending(f => f.Score).Take(10)
            .Select(f => new TriageItem(f.Kind, f.Severity.ToString().ToLowerInvariant(), f.TimeUnixNano, f.Summary, [.. f.Evidence.Take(3).Select(Describe)]))
            .ToList();

        // Changes (deploys, schema changes) of the asset and its direct neighbours come from the asset graph; a 404
        // means the graph has never had the URN.
        var changes = new List<TriageChange>();
        var graph = await api.GetAsync($"/api/graph?urn={escaped}&depth=1", cancellationToken, allowMissing: true).ConfigureAwait(false);
        var earliest = (now - window - window).ToUnixTimeMilliseconds() * 1_000_000; // a change shortly before the window explains what is in it
        if (graph is { } g && g.TryGetProperty("changes", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in list.EnumerateArray())
            {
                var time = c.TryGetProperty("timeUnixNano", out var t) && t.TryGetInt64(out var tn) ? tn : 0;
                if (time >= earliest)
                {
                    changes.Add(new TriageChange(Str(c, "urn"), Str(c, "kind"), time, Str(c, "description")));
                }
            }
        }

        var texts = findings.SelectMany(f => new[] { f.Kind, f.Summary }.Concat(f.Evidence.Select(e => e.Reference)));
        var steps = runbooks?.Match(urn, texts) ?? [];
        return new TriageReport(urn, now, window, incidents.Select(i => i.Id).ToList(), errors, templates, changes.OrderByDescending(c => c.TimeUnixNano).ToList(), steps, graph is not null);
    }

    private static string Describe(Evidence e) =>
        e.Observed is { } o ? $"{e.Type} {e.Reference}: {Format.Number(o)}{(e.Expected is { } x ? $" (expected {Format.Number(x)})" : string.Empty)}" : $"{e.Type} {e.Reference}";

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

    private static async Task WriteTextAsync(TextWriter stdout, TriageReport report)
    {
        await stdout.WriteLineAsync($"Triage of {report.Urn} (last {report.Window})").ConfigureAwait(false);
        await stdout.WriteLineAsync(report.OpenIncidents.Count == 0 ? "Open incidents: none" : "Open incidents: " + string.Join(", ", report.OpenIncidents)).ConfigureAwait(false);
        await Section(stdout, "Top errors", report.TopErrors).ConfigureAwait(false);
        await Section(stdout, "Log templates (new and spiking)", report.LogTemplates).ConfigureAwait(false);

        await stdout.WriteLineAsync().ConfigureAwait(false);
        if (!report.GraphAvailable)
        {
            await stdout.WriteLineAsync($"Recent changes: {report.Urn} is not in the asset graph (it joins with its first span, message or lineage event)").ConfigureAwait(false);
        }
        else if (report.RecentChanges.Count == 0)
        {
            await stdout.WriteLineAsync("Recent changes: none").ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync("Recent changes:").ConfigureAwait(false);
            var table = new TextTable("TIME", "KIND", "URN", "WHAT");
            foreach (var c in report.RecentChanges)
            {
                table.Add(Format.Time(c.TimeUnixNano), c.Kind, c.Urn, c.Description);
            }

            await table.WriteAsync(stdout).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync().ConfigureAwait(false);
        if (report.Runbooks.Count == 0)
        {
            await stdout.WriteLineAsync("Runbook steps: no runbook applies (--runbooks <dir> of markdown files with urns/signatures front matter)").ConfigureAwait(false);
        }

        foreach (var book in report.Runbooks)
        {
            await stdout.WriteLineAsync($"Runbook \"{book.Title}\" ({book.File}, matched by {book.MatchedBy}):").ConfigureAwait(false);
            for (var i = 0; i < book.Steps.Count; i++)
            {
                await stdout.WriteLineAsync($"  {i + 1}. {book.Steps[i]}").ConfigureAwait(false);
            }
        }
    }

    private static async Task Section(TextWriter stdout, string title, IReadOnlyList<TriageItem> items)
    {
        await stdout.WriteLineAsync().ConfigureAwait(false);
        if (items.Count == 0)
        {
            await stdout.WriteLineAsync(title + ": none").ConfigureAwait(false);
            return;
        }

        await stdout.WriteLineAsync(title + ":").ConfigureAwait(false);
        foreach (var item in items)
        {
            await stdout.WriteLineAsync($"  [{item.Severity}] {Format.Time(item.TimeUnixNano)} {item.Kind}: {item.Summary}").ConfigureAwait(false);
            foreach (var evidence in item.Evidence)
            {
                await stdout.WriteLineAsync("      " + evidence).ConfigureAwait(false);
            }
        }
    }
}

internal sealed record TriageItem(string Kind, string Severity, long TimeUnixNano, string Summary, IReadOnlyList<string> Evidence);

internal sealed record TriageChange(string Urn, string Kind, long TimeUnixNano, string Description);

internal sealed record TriageReport(
    string Urn,
    DateTimeOffset Now,
    TimeSpan Window,
    IReadOnlyList<string> OpenIncidents,
    IReadOnlyList<TriageItem> TopErrors,
    IReadOnlyList<TriageItem> LogTemplates,
    IReadOnlyList<TriageChange> RecentChanges,
    IReadOnlyList<RunbookMatch> Runbooks,
    bool GraphAvailable);
