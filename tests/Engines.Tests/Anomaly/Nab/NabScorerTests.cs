using Autopilot.Engines.Anomaly.Nab;

namespace Autopilot.Engines.Tests.Anomaly.Nab;

public sealed class NabScorerTests
{
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // 100 rows one minute apart: probation is 15 rows; the window covers rows 50..59 (width 10).
    private static NabScoredSeries File(string name, IReadOnlyDictionary<int, double> detections, bool window = true, int rows = 100)
    {
        var timestamps = Enumerable.Range(0, rows).Select(i => Start.AddMinutes(i)).ToArray();
        var scores = new double[rows];
        foreach (var (row, score) in detections)
        {
            scores[row] = score;
        }

        NabWindow[] windows = window ? [new NabWindow(Start.AddMinutes(50), Start.AddMinutes(59))] : [];
        return new NabScoredSeries(name, timestamps, scores, windows);
    }

    private static double F(double p) => NabScorer.ScaledSigmoid(p);

    [Fact]
    public void ScaledSigmoid_KeyPositions_MatchNabFormula()
    {
        Assert.Equal(0.0, F(0), 12);
        Assert.Equal((2 / (1 + Math.Exp(-5))) - 1, F(-1), 12);
        Assert.Equal((2 / (1 + Math.Exp(15))) - 1, F(3), 12);
        Assert.Equal(-1.0, F(3.0001));
    }

    [Theory]
    [InlineData(100, 15)]
    [InlineData(4032, 604)]
    [InlineData(10000, 750)]
    public void ProbationRows_FileLength_FifteenPercentCappedAt750(int rows, int expected) =>
        Assert.Equal(expected, NabScorer.ProbationRows(rows));

    [Fact]
    public void Score_DetectionAtWindowStart_ScoresPerfect()
    {
        var result = NabScorer.Score([File("a", new Dictionary<int, double> { [50] = 0.9 })], NabProfile.Standard);

        Assert.Equal(1.0, result.RawScore, 12);
        Assert.Equal(100.0, result.NormalizedScore, 9);
        Assert.Equal(0.9, result.Threshold);
    }

    [Fact]
    public void Score_SeveralDetectionsInWindow_OnlyEarliestCounts()
    {
        var result = NabScorer.Score([File("a", new Dictionary<int, double> { [55] = 0.9, [57] = 0.9, [59] = 0.9 })], NabProfile.Standard);

        // Row 55: p = -(59 - 55 + 1) / 10 = -0.5, scaled so that p = -1 earns tp.
        Assert.Equal(F(-0.5) / F(-1), result.RawScore, 12);
        Assert.Equal(1, result.Files[0].TruePositives);
        Assert.Equal(0, result.Files[0].FalsePositives);
    }

    [Fact]
    public void Score_NoDetection_IsNullScore()
    {
        var result = NabScorer.Score([File("a", new Dictionary<int, double>())], NabProfile.Standard);

        Assert.Equal(-1.0, result.RawScore);
        Assert.Equal(0.0, result.NormalizedScore);
        Assert.Equal(1, result.Files[0].FalseNegatives);
    }

    [Fact]
    public void Score_FalsePositiveBeforeFirstWindow_CostsFullFpWeight()
    {
        var result = NabScorer.Score([File("a", new Dictionary<int, double> { [20] = 0.9, [50] = 0.9 })], NabProfile.Standard);

        Assert.Equal(1.0 - 0.11, result.RawScore, 12);
        Assert.Equal(100 * (0.89 + 1) / 2, result.NormalizedScore, 9);
    }

    [Fact]
    public void Score_FalsePositiveAfterWindow_WeightedByDistanceOverPreviousWidth()
    {
        var low = NabScorer.Score([File("a", new Dictionary<int, double> { [50] = 0.9, [64] = 0.9 })], NabProfile.LowFalsePositive);

        // Row 64 is 5 rows after the window's last row: p = 5 / (10 - 1).
        Assert.Equal(1.0 + (F(5.0 / 9) * 0.22), low.RawScore, 12);
    }

    [Fact]
    public void Score_FalsePositiveFarAfterWindow_CostsFullFpWeight()
    {
        var result = NabScorer.Score([File("a", new Dictionary<int, double> { [50] = 0.9, [95] = 0.9 })], NabProfile.Standard);

        // p = 36 / 9 = 4 > 3.
        Assert.Equal(1.0 - 0.11, result.RawScore, 12);
    }

    [Fact]
    public void Score_DetectionInProbation_IsIgnored()
    {
        var result = NabScorer.Score([File("a", new Dictionary<int, double> { [10] = 1.0, [50] = 0.5 }, rows: 100)], NabProfile.Standard);

        Assert.Equal(1.0, result.RawScore, 12);
        Assert.Equal(0, result.Files[0].FalsePositives);
    }

    [Fact]
    public void Score_TwoFiles_OneGlobalThresholdMaximisesTheTotal()
    {
        // At 0.7 only b's false positive fires (-1.11); at 0.6 a's window joins (+1 - 0.11 = 0.89).
        var a = File("a", new Dictionary<int, double> { [50] = 0.6 });
        var b = File("b", new Dictionary<int, double> { [30] = 0.7 }, window: false);

        var result = NabScorer.Score([a, b], NabProfile.Standard);

        Assert.Equal(0.6, result.Threshold);
        Assert.Equal(0.89, result.RawScore, 12);
        Assert.Equal(1.0, result.PerfectScore);
        Assert.Equal(-1.0, result.NullScore);
    }

    [Fact]
    public void Score_ManyFalsePositives_PrefersHigherThresholdOrNull()
    {
        var noisy = Enumerable.Range(16, 30).ToDictionary(i => i, _ => 0.8);
        noisy[55] = 0.8;

        var result = NabScorer.Score([File("a", noisy)], NabProfile.Standard);

        // 30 false positives cost 3.3 > the window's reward: detecting nothing is better.
        Assert.Equal(-1.0, result.RawScore);
        Assert.True(result.Threshold > 0.8);
    }

    [Fact]
    public void Score_LowFnProfile_MissedWindowCostsDouble()
    {
        var result = NabScorer.Score([File("a", new Dictionary<int, double>())], NabProfile.LowFalseNegative);

        Assert.Equal(-2.0, result.RawScore);
        Assert.Equal(-2.0, result.NullScore);
    }
}
