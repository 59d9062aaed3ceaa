using Autopilot.Engines.Anomaly;

namespace Autopilot.Engines.Tests.Anomaly;

public sealed class ResonanceModeTests
{
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static AnomalyDetectorOptions Resonance() => new() { Mode = AnomalyDetectorMode.Resonance };

    /// <summary>Level <paramref name="level"/> plus seeded Gaussian noise of standard deviation <paramref name="noise"/>.</summary>
    private static double[] Noisy(int n, int seed, double level = 50, double noise = 1.0)
    {
        var random = new Random(seed);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = level + (noise * gaussian);
        }

        return values;
    }

    private static double[] Run(AnomalyDetector detector, double[] values, int from = 0)
    {
        var scores = new double[values.Length - from];
        for (var i = from; i < values.Length; i++)
        {
            scores[i - from] = detector.Update(Start.AddMinutes(5 * i), values[i]);
        }

        return scores;
    }

    private static int[] Detections(double[] scores) => Enumerable.Range(0, scores.Length).Where(i => scores[i] > 0).ToArray();

    private static double[] DailySine(int n)
    {
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = 10 * Math.Sin(2 * Math.PI * i / 288);
        }

        return values;
    }

    [Fact]
    public void Update_StepChangeAfterProbation_FlaggedOnceAtTheStep()
    {
        var values = new double[4000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i < 2500 ? 50 : 80;
        }

        var scores = Run(new AnomalyDetector(Resonance()), values);

        // The step completes its first block of 5 points at 2504.
        var detection = Assert.Single(Detections(scores));
        Assert.Equal(2504, detection);
        Assert.InRange(scores[detection], 0.5, 1.0);
    }

    [Fact]
    public void Update_StepInNoise_IsTheStrongestDetection()
    {
        // With noise the mode also flags some noise windows (ARTime's masking keeps them few, not none).
        var values = Noisy(4000, 1);
        for (var i = 2500; i < values.Length; i++)
        {
            values[i] += 30;
        }

        var scores = Run(new AnomalyDetector(Resonance()), values);

        var strongest = Array.IndexOf(scores, scores.Max());
        Assert.InRange(strongest, 2500, 2509);
        Assert.True(Detections(scores).Length <= 10, $"{Detections(scores).Length} detections");
    }

    [Fact]
    public void Update_RepeatedPattern_NeverFlagged()
    {
        var square = new double[8000];
        for (var i = 0; i < square.Length; i++)
        {
            square[i] = i % 288 < 144 ? 10 : 90;
        }

        Assert.Empty(Detections(Run(new AnomalyDetector(Resonance()), DailySine(8000))));
        Assert.Empty(Detections(Run(new AnomalyDetector(Resonance()), square)));
    }

    [Fact]
    public void Update_RepeatedPatternThenANewShape_FlagsOnlyTheNewShape()
    {
        var values = DailySine(8000);

        // Half a day held at the top of the wave: a shape the pattern never had.
        for (var i = 6000; i < 6144; i++)
        {
            values[i] = 10;
        }

        var detections = Detections(Run(new AnomalyDetector(Resonance()), values));

        Assert.NotEmpty(detections);
        Assert.All(detections, d => Assert.InRange(d, 6000, 6144 + 40));
    }

    [Fact]
    public void Update_SpikeDuringProbation_NotReported()
    {
        // The probation is a count of points (750 by default), not a share of a length the stream cannot know.
        var values = Noisy(2000, 3);
        values[400] = 500;

        var scores = Run(new AnomalyDetector(Resonance()), values);

        Assert.Equal(0.0, scores[404]);
        Assert.All(scores[..750], s => Assert.Equal(0.0, s));
    }

    [Fact]
    public void Update_SpikeAfterProbation_Flagged()
    {
        var values = Noisy(2000, 3);
        values[1500] = 500;

        var scores = Run(new AnomalyDetector(Resonance()), values);

        Assert.Contains(Detections(scores), d => d is >= 1500 and < 1505);
        Assert.DoesNotContain(Detections(scores), d => d < 1500);
    }

    [Fact]
    public void Update_AppendingFuturePoints_DoesNotChangePastScores()
    {
        var values = Noisy(5000, 4, noise: 3);
        values[1800] += 40;
        values[4200] -= 40;

        var prefix = Run(new AnomalyDetector(Resonance()), values[..3000]);
        var full = Run(new AnomalyDetector(Resonance()), values);

        Assert.Equal(prefix, full[..3000]);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(3001)]
    public void Restore_MidStream_ContinuesExactlyAsTheOriginal(int cut)
    {
        var values = Noisy(6000, 5, noise: 2);
        values[4000] += 25;
        var uninterrupted = Run(new AnomalyDetector(Resonance()), values);
        var first = new AnomalyDetector(Resonance());
        Run(first, values[..cut]);
        var snapshot = first.ToSnapshot();

        var restored = AnomalyDetector.Restore(Resonance(), snapshot);
        Assert.Equal(cut, restored.Count);
        var rest = Run(restored, values, cut);

        Assert.Equal(uninterrupted[cut..], rest);
        Assert.Contains(rest, s => s > 0);
        Assert.Equal(first.SnapshotSize, snapshot.Length);
    }

    [Fact]
    public void Restore_SnapshotOfTheOtherMode_ThrowsFormatException()
    {
        var resonance = new AnomalyDetector(Resonance());
        Run(resonance, Noisy(1000, 6));
        var surprise = new AnomalyDetector();
        Run(surprise, Noisy(1000, 6));

        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(null, resonance.ToSnapshot()));
        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(Resonance(), surprise.ToSnapshot()));
        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(new AnomalyDetectorOptions { Mode = AnomalyDetectorMode.Resonance, ResonanceCategories = 32 }, resonance.ToSnapshot()));
    }

    [Fact]
    public void Restore_CorruptResonanceState_ThrowsFormatException()
    {
        var detector = new AnomalyDetector(Resonance());
        Run(detector, Noisy(1000, 6));
        var snapshot = detector.ToSnapshot();

        // After the 20-byte header: int32 points in the block, then the median level; the blocks count is at 20 + 24 + 48.
        var badBlock = (byte[])snapshot.Clone();
        BitConverter.TryWriteBytes(badBlock.AsSpan(20, 4), 5);
        var badBlocks = (byte[])snapshot.Clone();
        BitConverter.TryWriteBytes(badBlocks.AsSpan(20 + 24 + 48, 8), -3L);

        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(Resonance(), badBlock));
        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(Resonance(), badBlocks));
        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(Resonance(), snapshot.AsSpan(0, snapshot.Length - 1)));
    }

    [Fact]
    public void WriteSnapshot_SurpriseMode_StaysFormatTwo_ResonanceModeIsFormatThree()
    {
        // The resonance mode added format 3; the surprise mode's snapshots keep format 2, byte for byte.
        var surprise = new AnomalyDetector();
        Run(surprise, Noisy(1000, 7));
        var resonance = new AnomalyDetector(Resonance());
        Run(resonance, Noisy(1000, 7));
        var v3 = resonance.ToSnapshot();
        BitConverter.TryWriteBytes(v3.AsSpan(4, 4), 2);

        Assert.Equal(2, BitConverter.ToInt32(surprise.ToSnapshot(), 4));
        Assert.Equal(3, BitConverter.ToInt32(resonance.ToSnapshot(), 4));
        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(Resonance(), v3));
    }

    [Fact]
    public void SnapshotSize_Defaults_UnderTwelveKilobytesAndFixed()
    {
        var detector = new AnomalyDetector(Resonance());
        var empty = detector.SnapshotSize;
        Run(detector, Noisy(5000, 8, noise: 10));

        Assert.Equal(empty, detector.SnapshotSize);
        Assert.InRange(detector.SnapshotSize, 1, 12 * 1024);
        Assert.Equal(detector.SnapshotSize, detector.WriteSnapshot(new byte[16 * 1024]));
    }

    [Fact]
    public void Update_AfterWarmUp_AllocatesNothing()
    {
        var detector = new AnomalyDetector(Resonance());
        var values = Noisy(6000, 9, noise: 5);
        Run(detector, values[..3000]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 3000; i < values.Length; i++)
        {
            detector.Update(Start.Ticks + i, values[i]);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData(nameof(AnomalyDetectorOptions.Mode))]
    [InlineData(nameof(AnomalyDetectorOptions.ResonanceStep))]
    [InlineData(nameof(AnomalyDetectorOptions.ResonanceProbationPoints))]
    [InlineData(nameof(AnomalyDetectorOptions.ResonanceCategories))]
    [InlineData("TooShortProbation")]
    public void Validate_OutOfRangeResonanceSetting_ThrowsNamingIt(string setting)
    {
        var options = Resonance();
        switch (setting)
        {
            case nameof(AnomalyDetectorOptions.Mode): options.Mode = (AnomalyDetectorMode)7; break;
            case nameof(AnomalyDetectorOptions.ResonanceStep): options.ResonanceStep = 0; break;
            case nameof(AnomalyDetectorOptions.ResonanceProbationPoints): options.ResonanceProbationPoints = (4096 * 5) + 5; break;
            case nameof(AnomalyDetectorOptions.ResonanceCategories): options.ResonanceCategories = 0; break;
            default: options.ResonanceProbationPoints = 79; setting = nameof(AnomalyDetectorOptions.ResonanceProbationPoints); break;
        }

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(setting, error.ParamName);
    }
}
