using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>Runs <see cref="AnomalyDetector"/> over a NAB corpus, writes its outputs and scores them.</summary>
public static class NabBenchmark
{
    /// <summary>
    /// Feeds every file to a fresh detector in row order, writes <c>&lt;out&gt;/&lt;category&gt;/&lt;name&gt;.csv</c>,
    /// and scores the outputs under every profile. <paramref name="progress"/> receives (files done, total).
    /// </summary>
    /// <exception cref="NabFormatException">A folder or file is missing or malformed.</exception>
    public static NabBenchmarkResult Run(NabBenchmarkOptions options, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Detector.Validate();
        if (!Directory.Exists(options.DataDirectory))
        {
            throw new NabFormatException($"data folder '{options.DataDirectory}' does not exist; pass the NAB 'data' folder holding <category>/<name>.csv");
        }

        var windows = NabCorpus.LoadWindows(options.ResolvedWindowsPath);
        var profiles = NabCorpus.LoadProfiles(options.ResolvedProfilesPath);
        var names = NabCorpus.ListFiles(options.DataDirectory);
        if (names.Count == 0)
        {
            throw new NabFormatException($"data folder '{options.DataDirectory}' holds no <category>/<name>.csv file");
        }

        var scored = new List<NabScoredSeries>(names.Count);
        var rows = 0L;
        var detectorTime = TimeSpan.Zero;
        for (var f = 0; f < names.Count; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var series = NabCorpus.ReadSeries(Path.Combine(options.DataDirectory, names[f]), names[f], windows.TryGetValue(names[f], out var w) ? w : []);
            var started = Stopwatch.GetTimestamp();
            var scores = Detect(series, options.Detector);
            detectorTime += Stopwatch.GetElapsedTime(started);
            WriteOutput(Path.Combine(options.OutputDirectory, names[f]), series, scores);
            scored.Add(new NabScoredSeries(series.Name, series.Timestamps, scores, series.Windows));
            rows += scores.Length;
            progress?.Report((f + 1, names.Count));
        }

        var results = new List<NabProfileResult>(profiles.Count);
        foreach (var profile in profiles)
        {
            results.Add(NabScorer.Score(scored, profile));
        }

        return new NabBenchmarkResult(results, names.Count, rows, detectorTime);
    }

    /// <summary>Scores one series with a fresh detector, in row order.</summary>
    public static double[] Detect(NabSeries series, AnomalyDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        var detector = new AnomalyDetector(options);
        var scores = new double[series.Values.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = detector.Update(series.Timestamps[i], series.Values[i]);
        }

        return scores;
    }

    private static void WriteOutput(string path, NabSeries series, double[] scores)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.Write("timestamp,value,anomaly_score\n");
        for (var i = 0; i < scores.Length; i++)
        {
            writer.Write(series.Timestamps[i].ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(series.Values[i].ToString("R", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(scores[i].ToString("R", CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }
}
