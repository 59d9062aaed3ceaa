using System.Globalization;
using System.Text.Json;

namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>
/// Reads the per-file scores NAB publishes for every detector (<c>results/&lt;detector&gt;/&lt;detector&gt;_&lt;profile&gt;_scores.csv</c>,
/// <c>results/final_results.json</c>) and scores each detector on a chosen set of files: the sum of those files' published
/// raw scores, normalised between the null and the perfect detector of that set, as <see cref="NabScorer"/> does.
/// </summary>
public static class NabPublishedScores
{
    // Published scores carry 12 or more significant digits; a file row off by more than this from the Totals row means
    // the CSV was cut or edited, not rounded.
    private const double TotalsTolerance = 1e-6;

    /// <summary>
    /// Reads <c>&lt;results&gt;/&lt;d&gt;/&lt;d&gt;_&lt;profile&gt;_scores.csv</c> for every folder <c>d</c> that has one, sorted by name.
    /// </summary>
    /// <exception cref="NabFormatException">The folder does not exist, holds no such CSV, or a CSV is malformed.</exception>
    public static IReadOnlyList<NabPublishedDetector> LoadDetectors(string resultsDirectory, string profileName)
    {
        ArgumentNullException.ThrowIfNull(resultsDirectory);
        ArgumentNullException.ThrowIfNull(profileName);
        if (!Directory.Exists(resultsDirectory))
        {
            throw new NabFormatException($"results folder '{resultsDirectory}' does not exist; pass NAB's 'results' folder holding <detector>/<detector>_{profileName}_scores.csv");
        }

        var folders = Directory.GetDirectories(resultsDirectory);
        Array.Sort(folders, StringComparer.Ordinal);
        var result = new List<NabPublishedDetector>();
        foreach (var folder in folders)
        {
            var name = System.IO.Path.GetFileName(folder);
            var path = System.IO.Path.Combine(folder, $"{name}_{profileName}_scores.csv");
            if (File.Exists(path))
            {
                result.Add(ReadCsv(path, name));
            }
        }

        if (result.Count == 0)
        {
            throw new NabFormatException($"results folder '{resultsDirectory}' holds no <detector>/<detector>_{profileName}_scores.csv");
        }

        return result;
    }

    /// <summary>Reads one published scores CSV (<c>Detector,Profile,File,Threshold,Score,…</c>, then a <c>Totals</c> row).</summary>
    /// <exception cref="NabFormatException">The file is missing or a row is malformed; the message names the file and line.</exception>
    public static NabPublishedDetector ReadCsv(string path, string detector)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = NabCorpus.OpenText(path);
        var header = reader.ReadLine() ?? throw new NabFormatException($"{path}: empty file, expected a header 'Detector,Profile,File,Threshold,Score,...'");
        var names = header.Split(',');
        var detectorColumn = Array.IndexOf(names, "Detector");
        var fileColumn = Array.IndexOf(names, "File");
        var thresholdColumn = Array.IndexOf(names, "Threshold");
        var scoreColumn = Array.IndexOf(names, "Score");
        if (detectorColumn < 0 || fileColumn < 0 || thresholdColumn < 0 || scoreColumn < 0)
        {
            throw new NabFormatException($"{path}: header '{header}' lacks one of Detector, File, Threshold, Score");
        }

        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        double? threshold = null;
        var agree = true;
        double? totals = null;
        var line = 1;
        for (var text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var fields = text.Split(',');
            if (fields.Length != names.Length || !TryParse(fields[scoreColumn], out var score))
            {
                throw new NabFormatException($"{path}:{line}: malformed row '{NabCorpus.Truncate(text)}', expected {names.Length} fields with a numeric Score");
            }

            if (fields[detectorColumn] == "Totals")
            {
                totals = score;
                continue;
            }

            if (!TryParse(fields[thresholdColumn], out var rowThreshold) || fields[fileColumn].Length == 0)
            {
                throw new NabFormatException($"{path}:{line}: malformed row '{NabCorpus.Truncate(text)}', expected a file name and a numeric Threshold");
            }

            if (!scores.TryAdd(fields[fileColumn], score))
            {
                throw new NabFormatException($"{path}:{line}: file '{fields[fileColumn]}' is listed twice");
            }

            threshold ??= rowThreshold;
            agree &= rowThreshold == threshold;
        }

        if (threshold is null)
        {
            throw new NabFormatException($"{path}: no file rows");
        }

        return new NabPublishedDetector(detector, path, threshold.Value, agree, scores, totals);
    }

    /// <summary>Reads NAB's <c>final_results.json</c> (<c>{ "detector": { "standard": 70.1, … } }</c>): detector → normalised score under <paramref name="profileName"/>.</summary>
    /// <exception cref="NabFormatException">The file is missing or not of that shape.</exception>
    public static IReadOnlyDictionary<string, double> LoadFinalResults(string path, string profileName)
    {
        ArgumentNullException.ThrowIfNull(path);
        using (var doc = NabCorpus.ParseJson(path))
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new NabFormatException($"{path}: expected an object mapping detector names to profile scores");
            }

            var result = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var detector in doc.RootElement.EnumerateObject())
            {
                if (detector.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new NabFormatException($"{path}: '{detector.Name}' must map profile names to scores");
                }

                if (detector.Value.TryGetProperty(profileName, out var score))
                {
                    if (score.ValueKind != JsonValueKind.Number)
                    {
                        throw new NabFormatException($"{path}: '{detector.Name}.{profileName}' is not a number");
                    }

                    result[detector.Name] = score.GetDouble();
                }
            }

            return result;
        }
    }

    /// <summary>
    /// Reads per-row outputs for <paramref name="files"/> from <paramref name="directory"/>: <c>&lt;category&gt;/&lt;name&gt;.csv</c>
    /// (what <c>bench nab --out</c> writes) or <c>&lt;category&gt;/&lt;detector&gt;_&lt;name&gt;.csv</c> (NAB's results layout).
    /// </summary>
    /// <exception cref="NabFormatException">The folder does not exist or an output file is malformed.</exception>
    public static NabRowOutputs LoadRowOutputs(string detector, string directory, IReadOnlyList<string> files, IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> windows)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(windows);
        if (!Directory.Exists(directory))
        {
            throw new NabFormatException($"row outputs folder '{directory}' does not exist");
        }

        var series = new List<NabScoredSeries>(files.Count);
        var missing = new List<string>();
        foreach (var name in files)
        {
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            var plain = System.IO.Path.Combine(directory, name);
            var prefixed = slash < 0 ? plain : System.IO.Path.Combine(directory, name[..slash], detector + "_" + name[(slash + 1)..]);
            var path = File.Exists(plain) ? plain : File.Exists(prefixed) ? prefixed : null;
            if (path is null)
            {
                missing.Add(name);
                continue;
            }

            var (timestamps, scores) = NabCorpus.ReadColumn(path, "anomaly_score");
            series.Add(new NabScoredSeries(name, timestamps, scores, windows.TryGetValue(name, out var w) ? w : []));
        }

        return new NabRowOutputs(detector, series, missing);
    }

    /// <summary>
    /// Scores every detector on <paramref name="files"/>: published ones by the sum of their per-file scores (at their
    /// full-corpus threshold), row outputs with <see cref="NabScorer"/> at the threshold best on these files.
    /// </summary>
    public static NabPublishedReport Compare(
        IReadOnlyList<string> files,
        IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> windows,
        NabProfile profile,
        IReadOnlyList<NabPublishedDetector> detectors,
        IReadOnlyDictionary<string, double>? finalResults,
        IReadOnlyList<NabRowOutputs> rowOutputs)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(detectors);
        ArgumentNullException.ThrowIfNull(rowOutputs);

        var windowCount = 0;
        foreach (var name in files)
        {
            windowCount += windows.TryGetValue(name, out var w) ? w.Count : 0;
        }

        var nul = -windowCount * profile.FnWeight;
        var perfect = windowCount * profile.TpWeight;
        var nullDetector = detectors.FirstOrDefault(d => d.Name == "null");
        var mismatches = nullDetector is null ? [] : WindowMismatches(files, windows, profile, nullDetector);

        var rows = new List<NabPublishedRow>(detectors.Count + rowOutputs.Count);
        foreach (var d in detectors)
        {
            var missing = new List<string>();
            var raw = 0.0;
            foreach (var name in files)
            {
                if (d.FileScores.TryGetValue(name, out var s))
                {
                    raw += s;
                }
                else
                {
                    missing.Add(name);
                }
            }

            var sum = 0.0;
            foreach (var s in d.FileScores.Values)
            {
                sum += s;
            }

            rows.Add(new NabPublishedRow(
                d.Name,
                FromRowOutputs: false,
                d.Threshold,
                finalResults is not null && finalResults.TryGetValue(d.Name, out var published) ? published : null,
                FullCorpusFromTotals(d, nullDetector, profile),
                missing.Count == 0 ? raw : null,
                missing.Count == 0 ? Normalize(raw, nul, perfect) : null,
                missing,
                d.Totals is not { } totals || Math.Abs(totals - sum) <= TotalsTolerance,
                ReproductionMaxDifference: null,
                SubsetScoreAtPublishedThreshold: null));
        }

        foreach (var r in rowOutputs)
        {
            rows.Add(ScoreRows(r, profile, detectors, finalResults, nul, perfect));
        }

        rows.Sort(static (a, b) =>
        {
            if (a.SubsetScore is { } x && b.SubsetScore is { } y)
            {
                return y.CompareTo(x);
            }

            return a.SubsetScore is null == b.SubsetScore is null
                ? StringComparer.Ordinal.Compare(a.Detector, b.Detector)
                : a.SubsetScore is null ? 1 : -1;
        });
        return new NabPublishedReport(profile, files.Count, windowCount, nul, perfect, rows, mismatches);
    }

    private static NabPublishedRow ScoreRows(
        NabRowOutputs r,
        NabProfile profile,
        IReadOnlyList<NabPublishedDetector> detectors,
        IReadOnlyDictionary<string, double>? finalResults,
        double nul,
        double perfect)
    {
        double? published = finalResults is not null && finalResults.TryGetValue(r.Detector, out var p) ? p : null;
        if (r.MissingFiles.Count > 0)
        {
            return new NabPublishedRow(r.Detector, true, double.NaN, published, null, null, null, r.MissingFiles, true, null, null);
        }

        var best = NabScorer.Score(r.Series, profile);
        double? difference = null;
        double? atPublished = null;
        var twin = detectors.FirstOrDefault(d => d.Name == r.Detector);
        if (twin is not null)
        {
            var at = NabScorer.ScoreAt(r.Series, profile, twin.Threshold);
            var max = 0.0;
            var complete = true;
            foreach (var f in at.Files)
            {
                if (twin.FileScores.TryGetValue(f.Name, out var s))
                {
                    max = Math.Max(max, Math.Abs(f.RawScore - s));
                }
                else
                {
                    complete = false;
                }
            }

            difference = complete ? max : null;
            atPublished = at.NormalizedScore;
        }

        return new NabPublishedRow(r.Detector, true, best.Threshold, published, null, best.RawScore, Normalize(best.RawScore, nul, perfect), [], true, difference, atPublished);
    }

    private static List<string> WindowMismatches(IReadOnlyList<string> files, IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> windows, NabProfile profile, NabPublishedDetector nullDetector)
    {
        var result = new List<string>();
        if (profile.FnWeight <= 0)
        {
            return result;
        }

        foreach (var name in files)
        {
            if (nullDetector.FileScores.TryGetValue(name, out var s))
            {
                var implied = -s / profile.FnWeight;
                var labelled = windows.TryGetValue(name, out var w) ? w.Count : 0;
                if (Math.Abs(implied - labelled) > 1e-9)
                {
                    result.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: windows.json has {labelled} windows, NAB's null detector scores {s} (= {implied:0.##} windows)"));
                }
            }
        }

        return result;
    }

    // The full corpus's window count is not in the CSV, but the null detector's Totals row is −windows × fn.
    private static double? FullCorpusFromTotals(NabPublishedDetector d, NabPublishedDetector? nullDetector, NabProfile profile)
    {
        if (d.Totals is not { } totals || nullDetector?.Totals is not { } nullTotals || nullTotals >= 0 || profile.FnWeight <= 0)
        {
            return null;
        }

        var windows = -nullTotals / profile.FnWeight;
        return Normalize(totals, nullTotals, windows * profile.TpWeight);
    }

    private static double Normalize(double raw, double nul, double perfect) => perfect == nul ? 0.0 : 100.0 * (raw - nul) / (perfect - nul);

    private static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
