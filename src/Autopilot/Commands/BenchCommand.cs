using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Anomaly.Nab;
using Autopilot.Host.Bench;

namespace Autopilot.Host.Commands;

/// <summary>
/// <c>autopilot bench</c>: accuracy benchmarks of the engines. <c>bench nab</c> runs the anomaly detector on NAB;
/// <c>bench nab-published</c> scores NAB's published detectors on the same files.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmark the engines on reference data sets.");
        command.Subcommands.Add(CreateNab());
        command.Subcommands.Add(CreateNabPublished());
        command.Subcommands.Add(CreateRca());
        return command;
    }

    /// <summary>
    /// <c>bench rca</c>: root-cause accuracy over seeded runs of the simulated shop with injected faults. Exit 0 when
    /// every run completed, 1 when a run failed (its error is printed), 2 on a usage error.
    /// </summary>
    private static Command CreateRca()
    {
        var defaults = new RcaBenchmarkOptions();
        var runs = new Option<int>("--runs") { Description = "Seeded runs (fault kinds rotate).", DefaultValueFactory = _ => defaults.Runs };
        var seed = new Option<int>("--seed") { Description = "Seed of the first run; run i uses seed + i.", DefaultValueFactory = _ => defaults.Seed };
        var faults = new Option<string?>("--faults") { Description = "Comma-separated fault kinds to rotate through (latency, deploy-errors, cpu, stale-dataset, schema-change, slow-db); default all." };
        var ranking = new Option<string>("--ranking") { Description = "explain (the RCA analyzer, falling back to suspected roots where the route is missing) or suspected.", DefaultValueFactory = _ => defaults.Ranking };
        var format = new Option<string>("--output") { Description = "Report format: text or json.", DefaultValueFactory = _ => "text" };
        var detail = new Option<string?>("--detail") { Description = "Directory for one JSON file per run (fault, findings, incidents, the fault incident's explain answer), to diagnose misses." };
        var command = new Command("rca", "Root-cause accuracy of the incidents over seeded fault scenarios on the simulated shop.") { runs, seed, faults, ranking, format, detail };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var options = new RcaBenchmarkOptions { Runs = parse.GetValue(runs), Seed = parse.GetValue(seed), Ranking = parse.GetValue(ranking)!, DetailDirectory = parse.GetValue(detail) };
            var problems = new List<string>();
            var output = parse.GetValue(format);
            if (output is not ("text" or "json"))
            {
                problems.Add($"--output must be text or json, got '{output}'");
            }

            if (parse.GetValue(faults) is { } list)
            {
                var kinds = new List<Autopilot.Simulator.Faults.FaultKind>();
                foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (Autopilot.Simulator.Faults.FaultKinds.TryParse(name, out var kind))
                    {
                        kinds.Add(kind);
                    }
                    else
                    {
                        problems.Add($"--faults: unknown fault kind '{name}'; known: {string.Join(", ", Autopilot.Simulator.Faults.FaultKinds.All.Select(Autopilot.Simulator.Faults.FaultKinds.Name))}");
                    }
                }

                options.Kinds = kinds;
            }

            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add(e.Message);
            }

            if (problems.Count > 0)
            {
                foreach (var p in problems)
                {
                    await stderr.WriteLineAsync("autopilot bench rca: " + p).ConfigureAwait(false);
                }

                return 2;
            }

            var progress = new SyncProgress<Autopilot.Simulator.Accuracy.RcaRunScore>(s => stderr.WriteLine(RcaBenchmarkReport.RunLine(s, options.Runs)));
            var scores = await RcaBenchmark.RunAsync(options, progress, cancellationToken).ConfigureAwait(false);
            await stdout.WriteAsync(output == "json" ? RcaBenchmarkReport.Json(scores, options) : RcaBenchmarkReport.Text(scores, options)).ConfigureAwait(false);
            return scores.Any(s => s.Error is not null) ? 1 : 0;
        });
        return command;
    }

    private static Command CreateNab()
    {
        var data = new Option<string>("--data") { Description = "NAB data folder holding <category>/<name>.csv.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for <category>/<name>.csv with timestamp,value,anomaly_score.", Required = true };
        var profile = new Option<string>("--profile") { Description = "Profile whose counts the per-file table shows (standard, reward_low_FP_rate, reward_low_FN_rate).", DefaultValueFactory = _ => "standard" };
        var windows = new Option<string?>("--windows") { Description = "windows.json (default: <data>/../windows.json)." };
        var profiles = new Option<string?>("--profiles") { Description = "profiles.json (default: <data>/../profiles.json)." };
        var format = new Option<string>("--output") { Description = "Report format: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var mode = new Option<string>("--mode") { Description = "Detector mode: surprise (the engine's default) or resonance (ARTime-style adaptive resonance); every other setting at its default.", DefaultValueFactory = _ => "surprise" };
        mode.AcceptOnlyFromAmong("surprise", "resonance");

        var command = new Command("nab", "Run the anomaly detector over a NAB corpus, write its scores and print the NAB scores.") { data, output, profile, windows, profiles, format, mode };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var options = new NabBenchmarkOptions
            {
                DataDirectory = parse.GetValue(data)!,
                OutputDirectory = parse.GetValue(output)!,
                WindowsPath = parse.GetValue(windows),
                ProfilesPath = parse.GetValue(profiles),
                Detector = new AnomalyDetectorOptions { Mode = parse.GetValue(mode) == "resonance" ? AnomalyDetectorMode.Resonance : AnomalyDetectorMode.Surprise },
            };
            var progress = new ProgressLine(stderr);
            NabBenchmarkResult result;
            try
            {
                result = await Task.Run(() => NabBenchmark.Run(options, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (NabFormatException e)
            {
                progress.Finish();
                await stderr.WriteLineAsync($"autopilot bench nab: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                progress.Finish();
                await stderr.WriteLineAsync($"autopilot bench nab: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            progress.Finish();
            var selected = result.Profiles.FirstOrDefault(p => p.Profile.Name == parse.GetValue(profile));
            if (selected is null)
            {
                await stderr.WriteLineAsync($"autopilot bench nab: no profile '{parse.GetValue(profile)}' in profiles.json; have {string.Join(", ", result.Profiles.Select(p => p.Profile.Name))}").ConfigureAwait(false);
                return 2;
            }

            await stdout.WriteAsync(parse.GetValue(format) == "json" ? Json(result) : Text(result, selected)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// <c>bench nab-published</c>: NAB's published per-file scores of every detector, summed and normalised over the files of a
    /// data folder. Exit 0; 1 when NAB's null detector implies other window counts than windows.json; 2 on bad input.
    /// </summary>
    private static Command CreateNabPublished()
    {
        var results = new Option<string>("--results", "--scores") { Description = "NAB's results folder holding <detector>/<detector>_<profile>_scores.csv (and final_results.json).", Required = true };
        var data = new Option<string>("--data") { Description = "Data folder whose <category>/<name>.csv files are compared.", Required = true };
        var windows = new Option<string?>("--windows") { Description = "windows.json (default: <data>/../windows.json)." };
        var profiles = new Option<string?>("--profiles") { Description = "profiles.json (default: <data>/../profiles.json)." };
        var profile = new Option<string>("--profile") { Description = "Profile to compare (standard, reward_low_FP_rate, reward_low_FN_rate).", DefaultValueFactory = _ => "standard" };
        var finalResults = new Option<string?>("--final-results") { Description = "NAB's final_results.json (default: <results>/final_results.json when present)." };
        var rows = new Option<string[]>("--rows") { Description = "NAME=DIR: also score per-row outputs (anomaly_score column) from DIR at the threshold best on these files; repeatable.", AllowMultipleArgumentsPerToken = false };
        var format = new Option<string>("--output") { Description = "Report format: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");

        var command = new Command("nab-published", "Score NAB's published detectors (their per-file scores at their full-corpus thresholds) on the files of a data folder.") { results, data, windows, profiles, profile, finalResults, rows, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var problems = new List<string>();
            var rowSpecs = new List<(string Name, string Directory)>();
            foreach (var spec in parse.GetValue(rows) ?? [])
            {
                var eq = spec.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == spec.Length - 1)
                {
                    problems.Add($"--rows must be NAME=DIR, got '{spec}'");
                }
                else
                {
                    rowSpecs.Add((spec[..eq], spec[(eq + 1)..]));
                }
            }

            if (problems.Count > 0)
            {
                foreach (var p in problems)
                {
                    await stderr.WriteLineAsync("autopilot bench nab-published: " + p).ConfigureAwait(false);
                }

                return 2;
            }

            NabPublishedReport report;
            try
            {
                var dataDirectory = parse.GetValue(data)!;
                var resultsDirectory = parse.GetValue(results)!;
                var names = NabCorpus.ListDataFiles(dataDirectory);
                var labelled = NabCorpus.LoadWindows(parse.GetValue(windows) ?? Path.Combine(dataDirectory, "..", "windows.json"));
                var profileName = parse.GetValue(profile)!;
                var selected = NabCorpus.LoadProfiles(parse.GetValue(profiles) ?? Path.Combine(dataDirectory, "..", "profiles.json")).FirstOrDefault(p => p.Name == profileName)
                    ?? throw new NabFormatException($"no profile '{profileName}' in profiles.json");
                var detectors = NabPublishedScores.LoadDetectors(resultsDirectory, profileName);
                var finalPath = parse.GetValue(finalResults) ?? Path.Combine(resultsDirectory, "final_results.json");
                var final = parse.GetValue(finalResults) is not null || File.Exists(finalPath) ? NabPublishedScores.LoadFinalResults(finalPath, profileName) : null;
                var outputs = rowSpecs.Select(r => NabPublishedScores.LoadRowOutputs(r.Name, r.Directory, names, labelled)).ToList();
                report = NabPublishedScores.Compare(names, labelled, selected, detectors, final, outputs);
            }
            catch (Exception e) when (e is NabFormatException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                await stderr.WriteLineAsync($"autopilot bench nab-published: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            await stdout.WriteAsync(parse.GetValue(format) == "json" ? NabPublishedReportText.Json(report) : NabPublishedReportText.Text(report)).ConfigureAwait(false);
            return report.WindowMismatches.Count > 0 ? 1 : 0;
        });
        return command;
    }

    private static string Text(NabBenchmarkResult result, NabProfileResult selected)
    {
        var c = CultureInfo.InvariantCulture;
        var w = new StringWriter(c);
        var nameWidth = Math.Max(4, selected.Files.Max(f => f.Name.Length));
        w.Write($"{"file".PadRight(nameWidth)}  win   tp   fp   fn");
        foreach (var p in result.Profiles)
        {
            w.Write($"  {Short(p.Profile.Name),9}");
        }

        w.WriteLine();
        for (var i = 0; i < selected.Files.Count; i++)
        {
            var f = selected.Files[i];
            w.Write(string.Create(c, $"{f.Name.PadRight(nameWidth)}  {f.Windows,3}  {f.TruePositives,3}  {f.FalsePositives,3}  {f.FalseNegatives,3}"));
            foreach (var p in result.Profiles)
            {
                w.Write(string.Create(c, $"  {p.Files[i].RawScore,9:F3}"));
            }

            w.WriteLine();
        }

        w.WriteLine(string.Create(c, $"(tp/fp/fn counts at the {selected.Profile.Name} threshold; score columns are raw per-file scores)"));
        w.WriteLine();
        w.WriteLine("profile              threshold        raw  normalized");
        foreach (var p in result.Profiles)
        {
            w.WriteLine(string.Create(c, $"{p.Profile.Name,-20} {p.Threshold,9:F6} {p.RawScore,10:F3} {p.NormalizedScore,11:F2}"));
        }

        w.WriteLine(string.Create(c, $"{result.Files} files, {result.Rows} rows, detector {result.DetectorTime.TotalMilliseconds:F0} ms"));
        w.WriteLine(string.Create(c, $"NAB score ({selected.Profile.Name}): {selected.NormalizedScore:F2}"));
        return w.ToString();
    }

    private static string Short(string profile) => profile switch
    {
        "reward_low_FP_rate" => "low_FP",
        "reward_low_FN_rate" => "low_FN",
        _ => profile.Length > 9 ? profile[..9] : profile,
    };

    private static string Json(NabBenchmarkResult result)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("files", result.Files);
            json.WriteNumber("rows", result.Rows);
            json.WriteNumber("detector_ms", Math.Round(result.DetectorTime.TotalMilliseconds, 1));
            json.WriteStartArray("profiles");
            foreach (var p in result.Profiles)
            {
                json.WriteStartObject();
                json.WriteString("name", p.Profile.Name);
                json.WriteNumber("threshold", p.Threshold);
                json.WriteNumber("raw", p.RawScore);
                json.WriteNumber("perfect", p.PerfectScore);
                json.WriteNumber("null", p.NullScore);
                json.WriteNumber("score", Math.Round(p.NormalizedScore, 4));
                json.WriteStartArray("files");
                foreach (var f in p.Files)
                {
                    json.WriteStartObject();
                    json.WriteString("name", f.Name);
                    json.WriteNumber("raw", f.RawScore);
                    json.WriteNumber("windows", f.Windows);
                    json.WriteNumber("tp", f.TruePositives);
                    json.WriteNumber("fp", f.FalsePositives);
                    json.WriteNumber("fn", f.FalseNegatives);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    /// <summary>Shows "files done / total" on stderr once a run has taken over a second; silent for quick runs.</summary>
    private sealed class ProgressLine(TextWriter error) : IProgress<(int Done, int Total)>
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private bool _shown;

        public void Report((int Done, int Total) value)
        {
            if (Stopwatch.GetElapsedTime(_started) < TimeSpan.FromSeconds(1))
            {
                return;
            }

            _shown = true;
            error.Write(string.Create(CultureInfo.InvariantCulture, $"\rnab: {value.Done}/{value.Total} files"));
            error.Flush();
        }

        public void Finish()
        {
            if (_shown)
            {
                error.WriteLine();
                _shown = false;
            }
        }
    }
}
