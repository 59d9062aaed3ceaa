using System.Text.Json;
using Autopilot.Engines.Anomaly.Nab;
using Autopilot.Engines.Tests.TestSupport;

namespace Autopilot.Engines.Tests.Commands;

public sealed class BenchNabPublishedCommandTests : IDisposable
{
    private readonly string _results = Path.Combine(Path.GetTempPath(), "autopilot-nabpub-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_results))
        {
            Directory.Delete(_results, recursive: true);
        }
    }

    private static Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args) => BenchCli.InvokeAsync(args);

    // Two made-up detectors over the shared subset's files: "flat" scores 0 on every file (raw 0 → 50.00), "strong"
    // gains 0.5 per window (raw 27.5 → 75.00); the null detector's rows carry the subset's true window counts.
    private void WriteResults(bool nullAgrees = true)
    {
        var windows = NabCorpus.LoadWindows(SharedData.Path("nab", "windows.json"));
        var names = NabCorpus.ListFiles(SharedData.Path("nab", "data"));
        NabPublishedCsv.Write(_results, "flat", 0.5, names.Select(n => (n, 0.0)));
        NabPublishedCsv.Write(_results, "strong", 0.8, names.Select(n => (n, 0.5 * windows[n].Count)));
        NabPublishedCsv.Write(_results, "null", 0.6, names.Select((n, i) => (n, -1.0 * windows[n].Count - (nullAgrees || i > 0 ? 0 : 1))));
        File.WriteAllText(Path.Combine(_results, "final_results.json"), """{ "strong": { "standard": 80.0 }, "flat": { "standard": 40.0 }, "null": { "standard": 0.0 } }""");
    }

    [Fact]
    public async Task BenchNabPublished_PublishedCsvs_PrintsSubsetScoresBestFirst()
    {
        WriteResults();

        var (exit, stdout, stderr) = await InvokeAsync("bench", "nab-published", "--results", _results, "--data", SharedData.Path("nab", "data"));

        Assert.True(exit == 0, stderr);
        Assert.Contains("NAB detectors on 35 files (55 windows), profile standard: null -55.00, perfect 55.00", stdout, StringComparison.Ordinal);
        var lines = stdout.Split('\n');
        var strong = Array.FindIndex(lines, l => l.StartsWith("strong ", StringComparison.Ordinal));
        var flat = Array.FindIndex(lines, l => l.StartsWith("flat ", StringComparison.Ordinal));
        Assert.True(strong > 0 && flat > strong, stdout);
        Assert.Contains("75.00", lines[strong], StringComparison.Ordinal);
        Assert.Contains("80.00", lines[strong], StringComparison.Ordinal);
        Assert.Contains("50.00", lines[flat], StringComparison.Ordinal);
        Assert.Contains("Best published detector on these files: strong 75.00 (full corpus 80.00)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchNabPublished_JsonWithRowOutputs_ScoresTheRowsAndChecksThemAgainstThePublishedCsv()
    {
        WriteResults();

        var (exit, stdout, stderr) = await InvokeAsync(
            "bench", "nab-published", "--scores", _results, "--data", SharedData.Path("nab", "data"), "--rows", "numenta=" + SharedData.Path("nab", "numenta"), "--output", "json");

        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(55, doc.RootElement.GetProperty("windows").GetInt32());
        var detectors = doc.RootElement.GetProperty("detectors").EnumerateArray().ToList();
        Assert.Equal(["strong", "numenta", "flat", "null"], detectors.Select(d => d.GetProperty("name").GetString()));
        var numenta = detectors[1];
        Assert.Equal("rows", numenta.GetProperty("source").GetString());
        Assert.Equal(66.59, Math.Round(numenta.GetProperty("subset_score").GetDouble(), 2));
        Assert.Equal(JsonValueKind.Null, numenta.GetProperty("reproduction_max_difference").ValueKind);
        Assert.Equal(75.0, detectors[0].GetProperty("subset_score").GetDouble(), 9);
        Assert.Equal(80.0, detectors[0].GetProperty("full_corpus_published").GetDouble());
        Assert.Equal(75.0, detectors[0].GetProperty("full_corpus_from_csv").GetDouble(), 9);
        Assert.Empty(doc.RootElement.GetProperty("window_mismatches").EnumerateArray());
    }

    [Fact]
    public async Task BenchNabPublished_NullDetectorDisagreesWithWindowsJson_Exits1AndSaysWhichFile()
    {
        WriteResults(nullAgrees: false);

        var (exit, stdout, _) = await InvokeAsync("bench", "nab-published", "--results", _results, "--data", SharedData.Path("nab", "data"));

        Assert.Equal(1, exit);
        Assert.Contains("window check failed: " + NabCorpus.ListFiles(SharedData.Path("nab", "data"))[0], stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchNabPublished_ResultsFolderMissing_Exits2WithOneLine()
    {
        var (exit, stdout, stderr) = await InvokeAsync("bench", "nab-published", "--results", _results, "--data", SharedData.Path("nab", "data"));

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"autopilot bench nab-published: results folder '{_results}' does not exist", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchNabPublished_RowsWithoutDirectory_Exits2()
    {
        WriteResults();

        var (exit, _, stderr) = await InvokeAsync("bench", "nab-published", "--results", _results, "--data", SharedData.Path("nab", "data"), "--rows", "numenta");

        Assert.Equal(2, exit);
        Assert.Equal("autopilot bench nab-published: --rows must be NAME=DIR, got 'numenta'", stderr.Trim());
    }

    [Fact]
    public async Task BenchNabPublished_UnknownProfile_Exits2NamingIt()
    {
        WriteResults();

        var (exit, _, stderr) = await InvokeAsync("bench", "nab-published", "--results", _results, "--data", SharedData.Path("nab", "data"), "--profile", "strict");

        Assert.Equal(2, exit);
        Assert.Equal("autopilot bench nab-published: no profile 'strict' in profiles.json", stderr.Trim());
    }
}
