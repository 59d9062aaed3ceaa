using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Anomaly.Nab;
using Autopilot.Engines.Tests.TestSupport;
using Autopilot.Host.Commands;

namespace Autopilot.Engines.Tests.Commands;

public sealed class BenchCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "autopilot-nab-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private static Task<(int Exit, string Out, string Err)> InvokeAsync(params string[] args) => BenchCli.InvokeAsync(args);

    [Fact]
    public async Task BenchNab_SharedCorpus_WritesEveryFileAndPrintsTheScoreOfThoseFiles()
    {
        var data = SharedData.Path("nab", "data");

        var (exit, stdout, stderr) = await InvokeAsync("bench", "nab", "--data", data, "--out", _out);

        Assert.True(exit == 0, stderr);
        var names = NabCorpus.ListFiles(data);
        Assert.Equal(35, names.Count);
        var windows = NabCorpus.LoadWindows(SharedData.Path("nab", "windows.json"));
        var files = new List<NabScoredSeries>();
        foreach (var name in names)
        {
            var path = Path.Combine(_out, name);
            Assert.Equal("timestamp,value,anomaly_score", File.ReadLines(path).First());
            var (timestamps, scores) = NabCorpus.ReadColumn(path, "anomaly_score");
            Assert.Equal(File.ReadLines(Path.Combine(data, name)).Count() - 1, scores.Count);
            Assert.All(scores, s => Assert.InRange(s, 0.0, 1.0));
            files.Add(new NabScoredSeries(name, timestamps, scores, windows.TryGetValue(name, out var w) ? w : []));
        }

        var rescored = NabScorer.Score(files, NabProfile.Standard);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"NAB score (standard): {rescored.NormalizedScore:F2}"), stdout);
        Assert.Contains("reward_low_FP_rate", stdout);
        Assert.Contains("realKnownCause/nyc_taxi.csv", stdout);
        Assert.True(rescored.NormalizedScore > 50, $"score {rescored.NormalizedScore}");
    }

    [Fact]
    public async Task BenchNab_JsonOutput_HasAllThreeProfiles()
    {
        var (exit, stdout, stderr) = await InvokeAsync("bench", "nab", "--data", SharedData.Path("nab", "data"), "--out", _out, "--output", "json");

        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var profiles = doc.RootElement.GetProperty("profiles").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(new[] { "standard", "reward_low_FP_rate", "reward_low_FN_rate" }, profiles);
        Assert.Equal(35, doc.RootElement.GetProperty("files").GetInt32());
    }

    [Fact]
    public async Task BenchNab_ResonanceMode_ScoresTheResonanceDetectorsOutputs()
    {
        var data = SharedData.Path("nab", "data");

        var (exit, stdout, stderr) = await InvokeAsync("bench", "nab", "--data", data, "--out", _out, "--mode", "resonance", "--output", "json");

        Assert.True(exit == 0, stderr);
        var windows = NabCorpus.LoadWindows(SharedData.Path("nab", "windows.json"));
        var files = new List<NabScoredSeries>();
        foreach (var name in NabCorpus.ListFiles(data))
        {
            var series = NabCorpus.ReadSeries(Path.Combine(data, name), name, windows.TryGetValue(name, out var w) ? w : []);
            var expected = NabBenchmark.Detect(series, new AnomalyDetectorOptions { Mode = AnomalyDetectorMode.Resonance });
            var (timestamps, scores) = NabCorpus.ReadColumn(Path.Combine(_out, name), "anomaly_score");
            Assert.Equal(expected, scores.ToArray());
            files.Add(new NabScoredSeries(name, timestamps, scores, series.Windows));
        }

        using var doc = JsonDocument.Parse(stdout);
        var standard = doc.RootElement.GetProperty("profiles")[0];
        Assert.Equal(NabScorer.Score(files, NabProfile.Standard).NormalizedScore, standard.GetProperty("score").GetDouble(), 2);
    }

    [Fact]
    public void BenchNab_UnknownMode_IsAParseErrorNamingIt()
    {
        // Program.cs turns parse errors into exit code 2 with one line each.
        var root = new RootCommand("test");
        root.Subcommands.Add(BenchCommand.Create());

        var parse = root.Parse(["bench", "nab", "--data", SharedData.Path("nab", "data"), "--out", _out, "--mode", "htm"]);

        var error = Assert.Single(parse.Errors);
        Assert.Contains("htm", error.Message);
    }

    [Fact]
    public async Task BenchNab_MissingDataFolder_ExitsTwoWithOneLine()
    {
        var missing = Path.Combine(_out, "nope");

        var (exit, _, stderr) = await InvokeAsync("bench", "nab", "--data", missing, "--out", _out);

        Assert.Equal(2, exit);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(missing, stderr);
    }

    [Fact]
    public async Task BenchNab_MalformedRow_ExitsTwoNamingFileAndLine()
    {
        var data = Path.Combine(_out, "in", "data");
        Directory.CreateDirectory(Path.Combine(data, "cat"));
        await File.WriteAllTextAsync(Path.Combine(data, "cat", "bad.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:05:00,oops\n");
        await File.WriteAllTextAsync(Path.Combine(_out, "in", "windows.json"), "{\"cat/bad.csv\": []}");
        File.Copy(SharedData.Path("nab", "profiles.json"), Path.Combine(_out, "in", "profiles.json"));

        var (exit, _, stderr) = await InvokeAsync("bench", "nab", "--data", data, "--out", Path.Combine(_out, "res"));

        Assert.Equal(2, exit);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("bad.csv:3", stderr);
    }
}
