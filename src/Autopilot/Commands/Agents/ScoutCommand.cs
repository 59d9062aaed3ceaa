using System.CommandLine;
using System.Globalization;
using System.Text;
using Autopilot.Agents.Scout;
using Autopilot.Host.Commands.OnCall;

namespace Autopilot.Host.Commands.Agents;

/// <summary>
/// <c>autopilot scout &lt;repo-path&gt;</c>: services, archetypes and observability gaps of a repository; the
/// Diff Plan as JSON with <c>--out</c> or <c>--output json</c>. Exit codes: 0 no gaps, 1 gaps found, 2 usage.
/// </summary>
internal static class ScoutCommand
{
    public const int NoGaps = 0;
    public const int GapsFound = 1;
    public const int Usage = 2;

    /// <summary>A scan shorter than this never shows progress (small repositories finish first).</summary>
    private static readonly TimeSpan ProgressDelay = TimeSpan.FromMilliseconds(300);

    public static Command Create()
    {
        var path = new Argument<string>("repo-path") { Description = "The repository (or any folder) to scan." };
        var outFile = new Option<string?>("--out") { Description = "Write the Diff Plan (JSON, schemas/diff-plan.schema.json) to this file." };
        var output = new Option<string>("--output") { Description = "table (default): a summary; json: the Diff Plan on stdout.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var name = new Option<string?>("--name") { Description = "The repository name written in the plan (default: the folder name)." };
        var command = new Command("scout", "Find the services of a repository, their archetypes and observability gaps; write the Diff Plan.") { path, outFile, output, name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var repo = parse.GetValue(path)!;
            var options = new ScoutOptions { RepoPath = repo, RepoName = parse.GetValue(name) };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync("autopilot scout: " + e.Message.Split(" (Parameter", 2)[0]).ConfigureAwait(false);
                return Usage;
            }

            var progress = new ScoutProgress();
            var scan = Task.Run(() => RepoScout.Scan(options, progress, cancellationToken), cancellationToken);
            if (ShowsProgress(stderr))
            {
                await ShowProgressAsync(scan, progress, stderr).ConfigureAwait(false);
            }

            var result = await scan.ConfigureAwait(false);
            var plan = result.Plan;
            var json = DiffPlanJson.Serialize(plan);
            if (parse.GetValue(outFile) is { } file)
            {
                try
                {
                    await File.WriteAllTextAsync(file, json + "\n", new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    await stderr.WriteLineAsync($"autopilot scout: cannot write '{file}': {e.Message}").ConfigureAwait(false);
                    return Usage;
                }
            }

            if (parse.GetValue(output) == "json")
            {
                await stdout.WriteLineAsync(json).ConfigureAwait(false);
            }
            else
            {
                await WriteSummaryAsync(stdout, result, parse.GetValue(outFile)).ConfigureAwait(false);
            }

            return plan.Gaps.Count == 0 ? NoGaps : GapsFound;
        });
        return command;
    }

    /// <summary>Progress goes to a terminal only: never into a redirected stream or a test's writer.</summary>
    private static bool ShowsProgress(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;

    private static async Task ShowProgressAsync(Task scan, ScoutProgress progress, TextWriter stderr)
    {
        if (await Task.WhenAny(scan, Task.Delay(ProgressDelay)).ConfigureAwait(false) == scan)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!scan.IsCompleted)
        {
            var line = progress.Phase switch
            {
                ScoutPhase.Walking => $"scout: listing files… {progress.FilesSeen:N0}",
                ScoutPhase.Reading when progress.FilesToRead == 0 => $"scout: reading build files ({progress.FilesSeen:N0} listed)",
                ScoutPhase.Reading => $"scout: reading {progress.FilesRead:N0}/{progress.FilesToRead:N0} files ({progress.FilesSeen:N0} listed)",
                _ => "scout: planning…",
            };
            await stderr.WriteAsync("\r\u001b[2K" + line).ConfigureAwait(false);
            await Task.WhenAny(scan, timer.WaitForNextTickAsync().AsTask()).ConfigureAwait(false);
        }

        await stderr.WriteAsync("\r\u001b[2K").ConfigureAwait(false);
    }

    private static async Task WriteSummaryAsync(TextWriter stdout, ScoutResult result, string? outFile)
    {
        var plan = result.Plan;
        var stats = result.Stats;
        var skipped = new StringBuilder();
        skipped.Append(CultureInfo.InvariantCulture, $"{stats.SkippedDirectories} vendored/generated folders skipped");
        if (stats.EscapingLinks.Count > 0)
        {
            skipped.Append(CultureInfo.InvariantCulture, $", {stats.EscapingLinks.Count} symlinks out of the repository not followed ({string.Join(", ", stats.EscapingLinks.Take(3))}{(stats.EscapingLinks.Count > 3 ? ", …" : string.Empty)})");
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Scanned {plan.Repo.Path}: {stats.FilesScanned} files, {stats.FilesRead} read, in {stats.Elapsed.TotalSeconds:0.00} s; {skipped}")).ConfigureAwait(false);
        await stdout.WriteLineAsync().ConfigureAwait(false);

        if (plan.Archetypes.Count == 0)
        {
            await stdout.WriteLineAsync("Services: none recognised (no Maven/Gradle, go.mod, Python, package.json or .csproj project that runs as a service)").ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync($"Services: {plan.Archetypes.Count}").ConfigureAwait(false);
            var services = new TextTable("SERVICE", "PATH", "LANGUAGE", "BUILD", "FRAMEWORK", "MESSAGING", "DATA", "OTEL");
            foreach (var a in plan.Archetypes)
            {
                services.Add(a.Name, a.Path, Snake(a.Language), Snake(a.BuildSystem), a.Framework is { } f ? Snake(f) : "-",
                    Join(a.Messaging), Join(a.DataAccess), Otel(a.Observability));
            }

            await services.WriteAsync(stdout).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync().ConfigureAwait(false);
        if (plan.Gaps.Count == 0)
        {
            await stdout.WriteLineAsync("Gaps: none").ConfigureAwait(false);
        }
        else
        {
            await stdout.WriteLineAsync($"Gaps: {plan.Gaps.Count}").ConfigureAwait(false);
            var gaps = new TextTable("GAP", "SERVICE", "CONF", "WHERE", "SUMMARY");
            foreach (var g in plan.Gaps)
            {
                var where = g.Evidence.FirstOrDefault(e => e.Line is not null) is { } e
                    ? $"{e.File}:{e.Line!.Value.ToString(CultureInfo.InvariantCulture)}"
                    : g.Evidence[0].File;
                gaps.Add(Snake(g.Type), g.Service ?? "-", g.Confidence.ToString("0.00", CultureInfo.InvariantCulture), where, HealthCommand.Short(g.Summary, 100));
            }

            await gaps.WriteAsync(stdout).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync().ConfigureAwait(false);
        var written = outFile is null ? "write it with --out plan.json" : $"written to {outFile}";
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Planned changes: {plan.PlannedChanges.Count} ({written}); overall confidence {plan.OverallConfidence:0.00}")).ConfigureAwait(false);
    }

    private static string Otel(ObservabilityState o) =>
        !o.OtelSdk ? "none" : !o.OtelInitialised ? "sdk only" : o.Propagation ? "sdk+init+propagation" : "sdk+init";

    private static string Join(IReadOnlyList<string> items) => items.Count == 0 ? "-" : string.Join(",", items);

    private static string Snake(Enum value) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
