using Autopilot.Engines.Anomaly.Nab;
using Autopilot.Engines.Tests.TestSupport;

namespace Autopilot.Engines.Tests.Anomaly.Nab;

public sealed class NabPublishedScoresTests : IDisposable
{
    // NAB's full-corpus standard threshold for the numenta detector (config/thresholds.json).
    private const double NumentaThreshold = 0.5421876907348634;

    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "autopilot-nabpub-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static List<NabScoredSeries> NumentaOutputs(IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> windows)
    {
        var files = new List<NabScoredSeries>();
        foreach (var name in NabCorpus.ListFiles(SharedData.Path("nab", "data")))
        {
            var parts = name.Split('/');
            var (timestamps, scores) = NabCorpus.ReadColumn(SharedData.Path("nab", "numenta", parts[0], "numenta_" + parts[1]), "anomaly_score");
            files.Add(new NabScoredSeries(name, timestamps, scores, windows.TryGetValue(name, out var w) ? w : []));
        }

        return files;
    }

    private static Dictionary<string, IReadOnlyList<NabWindow>> Windows(params (string File, int Count)[] files)
    {
        var result = new Dictionary<string, IReadOnlyList<NabWindow>>(StringComparer.Ordinal);
        foreach (var (file, count) in files)
        {
            result[file] = Enumerable.Range(0, count).Select(i => new NabWindow(Start.AddDays(i), Start.AddDays(i).AddHours(1))).ToArray();
        }

        return result;
    }

    [Fact]
    public void ScoreAt_NumentaOutputs_AddsUpItsFilesAndNeverBeatsTheBestThreshold()
    {
        var windows = NabCorpus.LoadWindows(SharedData.Path("nab", "windows.json"));
        var files = NumentaOutputs(windows);

        var best = NabScorer.Score(files, NabProfile.Standard);
        var atBest = NabScorer.ScoreAt(files, NabProfile.Standard, best.Threshold);
        var atPublished = NabScorer.ScoreAt(files, NabProfile.Standard, NumentaThreshold);

        Assert.Equal(best.RawScore, atBest.RawScore, 9);
        Assert.Equal(atPublished.RawScore, atPublished.Files.Sum(f => f.RawScore), 9);
        Assert.Equal(55, atPublished.Files.Sum(f => f.Windows));
        Assert.True(atPublished.NormalizedScore < best.NormalizedScore, $"{atPublished.NormalizedScore} vs {best.NormalizedScore}");
        Assert.Equal(-55.0, atPublished.NullScore);
    }

    [Fact]
    public void Compare_CsvWrittenFromNumentaOutputs_SubsetScoreIsTheScorersAndRowsReproduceIt()
    {
        var windows = NabCorpus.LoadWindows(SharedData.Path("nab", "windows.json"));
        var names = NabCorpus.ListFiles(SharedData.Path("nab", "data"));
        var at = NabScorer.ScoreAt(NumentaOutputs(windows), NabProfile.Standard, NumentaThreshold);
        // One file outside the subset, as NAB's 58-file CSVs have: it counts in the full corpus only.
        NabPublishedCsv.Write(_dir, "numenta", NumentaThreshold, at.Files.Select(f => (f.Name, f.RawScore)).Append(("realTweets/Twitter_volume_AAPL.csv", 1.5)));
        NabPublishedCsv.Write(_dir, "null", 0.6, names.Select(n => (n, -1.0 * windows[n].Count)).Append(("realTweets/Twitter_volume_AAPL.csv", -4.0)));

        var detectors = NabPublishedScores.LoadDetectors(_dir, "standard");
        var rows = NabPublishedScores.LoadRowOutputs("numenta", SharedData.Path("nab", "numenta"), names, windows);
        var report = NabPublishedScores.Compare(names, windows, NabProfile.Standard, detectors, finalResults: null, [rows]);

        Assert.Equal(35, report.Files);
        Assert.Equal(55, report.Windows);
        Assert.Empty(report.WindowMismatches);
        var published = report.Rows.Single(r => r.Detector == "numenta" && !r.FromRowOutputs);
        Assert.Equal(at.NormalizedScore, published.SubsetScore!.Value, 9);
        Assert.Equal(NumentaThreshold, published.Threshold);
        Assert.True(published.TotalsConsistent);
        // Full corpus: 55 + 4 windows, raw = subset raw + 1.5.
        Assert.Equal(100.0 * (at.RawScore + 1.5 + 59) / 118, published.FullCorpusFromCsv!.Value, 9);
        var fromRows = report.Rows.Single(r => r.Detector == "numenta" && r.FromRowOutputs);
        Assert.Equal(66.59, Math.Round(fromRows.SubsetScore!.Value, 2));
        Assert.True(fromRows.ReproductionMaxDifference < 1e-9, $"{fromRows.ReproductionMaxDifference}");
        Assert.Equal(at.NormalizedScore, fromRows.SubsetScoreAtPublishedThreshold!.Value, 9);
        Assert.Equal(0.0, report.Rows.Single(r => r.Detector == "null").SubsetScore!.Value, 9);
    }

    [Fact]
    public void Compare_HandComputedScores_NormalizedBetweenNullAndPerfectBestFirstIncompleteLast()
    {
        var windows = Windows(("a/one.csv", 1), ("a/two.csv", 2));
        string[] files = ["a/one.csv", "a/two.csv"];
        NabPublishedCsv.Write(_dir, "even", 0.5, [("a/one.csv", 0.5), ("a/two.csv", -0.5)]);
        NabPublishedCsv.Write(_dir, "good", 0.7, [("a/one.csv", 0.9), ("a/two.csv", 1.2)]);
        NabPublishedCsv.Write(_dir, "partial", 0.9, [("a/one.csv", 1.0)]);
        NabPublishedCsv.Write(_dir, "edited", 0.4, [("a/one.csv", -1.0), ("a/two.csv", -2.0)], totals: 7.0);

        var report = NabPublishedScores.Compare(files, windows, NabProfile.Standard, NabPublishedScores.LoadDetectors(_dir, "standard"), null, []);

        Assert.Equal(-3.0, report.NullScore);
        Assert.Equal(3.0, report.PerfectScore);
        Assert.Equal(["good", "even", "edited", "partial"], report.Rows.Select(r => r.Detector));
        Assert.Equal(100.0 * (2.1 + 3) / 6, report.Rows[0].SubsetScore!.Value, 9);
        Assert.Equal(50.0, report.Rows[1].SubsetScore!.Value, 9);
        Assert.Equal(0.0, report.Rows[2].SubsetScore!.Value, 9);
        Assert.False(report.Rows[2].TotalsConsistent);
        Assert.True(report.Rows[1].TotalsConsistent);
        Assert.Null(report.Rows[3].SubsetScore);
        Assert.Equal(["a/two.csv"], report.Rows[3].MissingFiles);
        Assert.All(report.Rows, r => Assert.Null(r.FullCorpusFromCsv));
    }

    [Fact]
    public void Compare_LowFalseNegativeProfile_NullAndPerfectUseItsWeights()
    {
        var windows = Windows(("a/one.csv", 2));
        NabPublishedCsv.Write(_dir, "d", 0.5, [("a/one.csv", 0.0)], profile: "reward_low_FN_rate");

        var report = NabPublishedScores.Compare(["a/one.csv"], windows, NabProfile.LowFalseNegative, NabPublishedScores.LoadDetectors(_dir, "reward_low_FN_rate"), null, []);

        Assert.Equal(-4.0, report.NullScore);
        Assert.Equal(2.0, report.PerfectScore);
        Assert.Equal(100.0 * 4 / 6, report.Rows.Single().SubsetScore!.Value, 9);
    }

    [Fact]
    public void Compare_NullDetectorImpliesOtherWindowCounts_ReportsTheFile()
    {
        var windows = Windows(("a/one.csv", 1), ("a/two.csv", 2));
        NabPublishedCsv.Write(_dir, "null", 0.6, [("a/one.csv", -1.0), ("a/two.csv", -3.0)]);

        var report = NabPublishedScores.Compare(["a/one.csv", "a/two.csv"], windows, NabProfile.Standard, NabPublishedScores.LoadDetectors(_dir, "standard"), null, []);

        var mismatch = Assert.Single(report.WindowMismatches);
        Assert.StartsWith("a/two.csv: windows.json has 2 windows", mismatch, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_FinalResults_AttachedByDetectorName()
    {
        var windows = Windows(("a/one.csv", 1));
        NabPublishedCsv.Write(_dir, "d", 0.5, [("a/one.csv", 0.0)]);
        File.WriteAllText(Path.Combine(_dir, "final_results.json"), """{ "d": { "standard": 61.5, "reward_low_FP_rate": 50 }, "other": { "reward_low_FN_rate": 1 } }""");

        var final = NabPublishedScores.LoadFinalResults(Path.Combine(_dir, "final_results.json"), "standard");
        var report = NabPublishedScores.Compare(["a/one.csv"], windows, NabProfile.Standard, NabPublishedScores.LoadDetectors(_dir, "standard"), final, []);

        Assert.Equal(["d"], final.Keys);
        Assert.Equal(61.5, report.Rows.Single().FullCorpusPublished);
    }

    [Fact]
    public void ReadCsv_MalformedScore_NamesFileAndLine()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "x_standard_scores.csv");
        File.WriteAllText(path, "Detector,Profile,File,Threshold,Score\nx,standard,a/one.csv,0.5,0.25\nx,standard,a/two.csv,0.5,abc\n");

        var e = Assert.Throws<NabFormatException>(() => NabPublishedScores.ReadCsv(path, "x"));

        Assert.Contains($"{path}:3: malformed row", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCsv_FileListedTwice_Rejected()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "x_standard_scores.csv");
        File.WriteAllText(path, "Detector,Profile,File,Threshold,Score\nx,standard,a/one.csv,0.5,0.25\nx,standard,a/one.csv,0.5,0.5\n");

        var e = Assert.Throws<NabFormatException>(() => NabPublishedScores.ReadCsv(path, "x"));

        Assert.Contains("listed twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadDetectors_FolderWithoutScoresCsv_ThrowsNamingTheExpectedFile()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "numenta"));

        var e = Assert.Throws<NabFormatException>(() => NabPublishedScores.LoadDetectors(_dir, "standard"));

        Assert.Contains("<detector>/<detector>_standard_scores.csv", e.Message, StringComparison.Ordinal);
    }
}
