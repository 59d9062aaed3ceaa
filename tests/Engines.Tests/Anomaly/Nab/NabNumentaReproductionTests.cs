using Autopilot.Engines.Anomaly.Nab;
using Autopilot.Engines.Tests.TestSupport;

namespace Autopilot.Engines.Tests.Anomaly.Nab;

public sealed class NabNumentaReproductionTests
{
    [Theory]
    [InlineData("standard", 66.59)]
    [InlineData("reward_low_FP_rate", 60.81)]
    [InlineData("reward_low_FN_rate", 71.06)]
    public void Score_NumentaHtmOutputs_ReproducesPublishedScore(string profileName, double expected)
    {
        var windows = NabCorpus.LoadWindows(SharedData.Path("nab", "windows.json"));
        var profile = NabCorpus.LoadProfiles(SharedData.Path("nab", "profiles.json")).Single(p => p.Name == profileName);
        var files = new List<NabScoredSeries>();
        foreach (var name in NabCorpus.ListFiles(SharedData.Path("nab", "data")))
        {
            var parts = name.Split('/');
            var (timestamps, scores) = NabCorpus.ReadColumn(SharedData.Path("nab", "numenta", parts[0], "numenta_" + parts[1]), "anomaly_score");
            files.Add(new NabScoredSeries(name, timestamps, scores, windows.TryGetValue(name, out var w) ? w : []));
        }

        var result = NabScorer.Score(files, profile);

        Assert.Equal(35, files.Count);
        Assert.Equal(expected, Math.Round(result.NormalizedScore, 2));
    }
}
