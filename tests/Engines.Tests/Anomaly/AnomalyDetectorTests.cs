using Autopilot.Engines.Anomaly;

namespace Autopilot.Engines.Tests.Anomaly;

public sealed class AnomalyDetectorTests
{
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static DateTime At(int i) => Start.AddMinutes(5 * i);

    /// <summary>Daily sine (288 points of 5 minutes) plus Gaussian noise, seeded.</summary>
    private static double[] DailyWithNoise(int n, int seed, double noise = 1.0)
    {
        var random = new Random(seed);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = 50 + (10 * Math.Sin(2 * Math.PI * i / 288.0)) + (noise * gaussian);
        }

        return values;
    }

    private static double[] Run(AnomalyDetector detector, double[] values, int from = 0)
    {
        var scores = new double[values.Length - from];
        for (var i = from; i < values.Length; i++)
        {
            scores[i - from] = detector.Update(At(i), values[i]);
        }

        return scores;
    }

    [Fact]
    public void Update_NoisySeriesWithSpikes_ScoresStayInUnitInterval()
    {
        var values = DailyWithNoise(4000, 1, noise: 3);
        values[1000] = 500;
        values[2000] = -500;
        values[3000] = double.NaN;

        var scores = Run(new AnomalyDetector(), values);

        Assert.All(scores, s => Assert.InRange(s, 0.0, 1.0));
        Assert.Contains(scores, s => s > 0);
    }

    [Fact]
    public void Update_AppendingFuturePoints_DoesNotChangePastScores()
    {
        var values = DailyWithNoise(4000, 2);
        values[1500] += 40;
        values[3500] -= 40;

        var prefix = Run(new AnomalyDetector(), values[..2000]);
        var full = Run(new AnomalyDetector(), values);

        Assert.Equal(prefix, full[..2000]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(150)]
    [InlineData(2100)]
    [InlineData(3999)]
    public void Restore_MidSeries_GivesSameSubsequentScoresAsUninterrupted(int stopAt)
    {
        var values = DailyWithNoise(4000, 3);
        values[2500] += 60;
        for (var i = 3200; i < 4000; i++)
        {
            values[i] += 25;
        }

        var uninterrupted = Run(new AnomalyDetector(), values);
        var first = new AnomalyDetector();
        for (var i = 0; i < stopAt; i++)
        {
            first.Update(At(i), values[i]);
        }

        var snapshot = first.ToSnapshot();
        var restored = AnomalyDetector.Restore(null, snapshot);
        var resumed = Run(restored, values, stopAt);

        Assert.Equal(uninterrupted[stopAt..], resumed);
        Assert.Equal(snapshot, AnomalyDetector.Restore(null, snapshot).ToSnapshot());
        Assert.Equal(values.Length, restored.Count);
    }

    /// <summary>
    /// An engine's restore reads a length-prefixed snapshot through a scratch buffer: through it when it is large
    /// enough, into an array of its own when not; the reader ends right after the snapshot either way, and a stream that
    /// ends early or a negative length is an error, not a detector.
    /// </summary>
    [Theory]
    [InlineData(4096)]
    [InlineData(16)]
    public void Restore_FromReaderThroughScratch_SameDetectorAndReaderAfterIt(int scratchLength)
    {
        var detector = new AnomalyDetector();
        var values = DailyWithNoise(600, 7);
        for (var i = 0; i < values.Length; i++)
        {
            detector.Update(At(i), values[i]);
        }

        var snapshot = detector.ToSnapshot();
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(snapshot.Length);
            writer.Write(snapshot);
            writer.Write(42L);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        var restored = AnomalyDetector.Restore(null, reader, new byte[scratchLength]);

        Assert.Equal(snapshot, restored.ToSnapshot());
        Assert.Equal(42L, reader.ReadInt64());

        stream.SetLength(snapshot.Length); // cut inside the snapshot
        stream.Position = 0;
        Assert.Throws<EndOfStreamException>(() => AnomalyDetector.Restore(null, reader, new byte[scratchLength]));
        stream.Position = 0;
        stream.Write(BitConverter.GetBytes(-1));
        stream.Position = 0;
        Assert.Throws<InvalidDataException>(() => AnomalyDetector.Restore(null, reader, new byte[scratchLength]));
    }

    [Fact]
    public void SnapshotSize_DefaultOptions_UnderTwoKilobytes()
    {
        var detector = new AnomalyDetector();
        Run(detector, DailyWithNoise(1000, 4));

        Assert.InRange(detector.SnapshotSize, 1, 2048);
        Assert.Equal(detector.SnapshotSize, detector.WriteSnapshot(new byte[4096]));
    }

    [Fact]
    public void SnapshotSize_PatternWindowOff_UnderOneKilobyte()
    {
        var detector = new AnomalyDetector(new AnomalyDetectorOptions { PatternWindow = 0 });
        Run(detector, DailyWithNoise(1000, 4));

        Assert.InRange(detector.SnapshotSize, 1, 1024);
        Assert.Equal(detector.SnapshotSize, detector.WriteSnapshot(new byte[2048]));
    }

    [Fact]
    public void Restore_VersionOneSnapshot_CarriesTheOldStateOver()
    {
        // A version 1 snapshot is the version 2 layout up to the fifth signal's likelihood, with version 1 in
        // its header: everything after it (the window-pattern likelihood and memory) was added by version 2.
        var values = DailyWithNoise(3000, 9);
        var original = new AnomalyDetector();
        Run(original, values);
        var v2 = original.ToSnapshot();
        var v1Size = 12 + (8 * 17) + (8 * 48) + (5 * 32);
        var v1 = v2[..v1Size];
        BitConverter.TryWriteBytes(v1.AsSpan(4, 4), 1);

        var restored = AnomalyDetector.Restore(null, v1);
        var after = restored.ToSnapshot();

        Assert.Equal(values.Length, restored.Count);
        Assert.Equal(v2[12..v1Size], after[12..v1Size]);
        Assert.NotEqual(v2[v1Size..], after[v1Size..]);
        Assert.All(Run(restored, DailyWithNoise(500, 10), 0), s => Assert.InRange(s, 0.0, 1.0));
        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(null, v1.AsSpan(0, v1.Length - 8)));
    }

    [Fact]
    public void Restore_SnapshotOfOtherBinCount_ThrowsFormatException()
    {
        var snapshot = new AnomalyDetector(new AnomalyDetectorOptions { SeasonalBins = 24 }).ToSnapshot();

        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(null, snapshot));
        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(null, new byte[5]));
        Assert.Throws<FormatException>(() => AnomalyDetector.Restore(null, new byte[new AnomalyDetector().SnapshotSize]));
    }

    [Fact]
    public void Update_SpikeInSeasonalNoise_FiresAtTheSpike()
    {
        var values = DailyWithNoise(4000, 5);
        values[3000] += 30;

        var scores = Run(new AnomalyDetector(), values);

        Assert.True(scores[3000] > 0, $"score at the spike was {scores[3000]}");
    }

    [Fact]
    public void Update_LevelShift_FiresSoonAfterTheShift()
    {
        var values = DailyWithNoise(4000, 6);
        for (var i = 3000; i < values.Length; i++)
        {
            values[i] += 15;
        }

        var scores = Run(new AnomalyDetector(), values);
        var first = Array.FindIndex(scores, 2900, s => s > 0);

        Assert.InRange(first, 3000, 3020);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(10.0)]
    public void Update_FlatOrPureNoise_RarelyFires(double noise)
    {
        var random = new Random(7);
        var detector = new AnomalyDetector();
        var fired = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            if (detector.Update(At(i), 20 + (noise * gaussian)) > 0)
            {
                fired++;
            }
        }

        Assert.InRange(fired, 0, 10);
    }

    [Fact]
    public void Update_SteadyState_DoesNotAllocate()
    {
        var detector = new AnomalyDetector();
        var values = DailyWithNoise(5000, 8);
        Run(detector, values[..1000]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1000; i < values.Length; i++)
        {
            detector.Update(At(i).Ticks * 100L, values[i]);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData(nameof(AnomalyDetectorOptions.LongAlpha))]
    [InlineData(nameof(AnomalyDetectorOptions.SeasonalBins))]
    [InlineData(nameof(AnomalyDetectorOptions.FireThreshold))]
    [InlineData(nameof(AnomalyDetectorOptions.SuppressPoints))]
    [InlineData(nameof(AnomalyDetectorOptions.SurpriseScale))]
    [InlineData(nameof(AnomalyDetectorOptions.PatternWindow))]
    [InlineData(nameof(AnomalyDetectorOptions.PatternVigilance))]
    public void Validate_OutOfRangeSetting_ThrowsNamingIt(string setting)
    {
        var options = new AnomalyDetectorOptions();
        switch (setting)
        {
            case nameof(AnomalyDetectorOptions.LongAlpha): options.LongAlpha = 0; break;
            case nameof(AnomalyDetectorOptions.SeasonalBins): options.SeasonalBins = 0; break;
            case nameof(AnomalyDetectorOptions.FireThreshold): options.FireThreshold = 1.5; break;
            case nameof(AnomalyDetectorOptions.SuppressPoints): options.SuppressPoints = -1; break;
            case nameof(AnomalyDetectorOptions.PatternWindow): options.PatternWindow = 65; break;
            case nameof(AnomalyDetectorOptions.PatternVigilance): options.PatternVigilance = 0; break;
            default: options.SurpriseScale = double.NaN; break;
        }

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(setting, error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnomalyDetector(options));
    }

    [Fact]
    public void Validate_Defaults_Pass() => new AnomalyDetectorOptions().Validate();

    [Fact]
    public void Update_PerfectDailySquareWave_DoesNotFireOnceTheProfileExplainsIt()
    {
        // 14 days of a daily square wave (12 h at 10, 12 h at 90), 5-minute points: every edge is expected.
        var values = new double[14 * 288];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i % 288 < 144 ? 10 : 90;
        }

        var gated = Run(new AnomalyDetector(), values);
        var ungated = Run(new AnomalyDetector(new AnomalyDetectorOptions { SeasonalExplainedZ = 0 }), values);

        Assert.DoesNotContain(gated[(3 * 288)..], s => s > 0);
        Assert.Contains(ungated[(3 * 288)..], s => s > 0);
    }

    [Fact]
    public void Update_SpikeInExplainedDailySeries_StillFires()
    {
        var values = new double[14 * 288];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i % 288 < 144 ? 10 : 90;
        }

        values[10 * 288 + 50] = 50;

        var scores = Run(new AnomalyDetector(), values);

        Assert.True(scores[10 * 288 + 50] > 0, $"score at the spike was {scores[10 * 288 + 50]}");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(14)]
    public void Update_ShapeChangeWithinTheRange_OnlyTheWindowPatternSignalFires(int period)
    {
        // A square wave becomes a triangle wave of the same range, mean and period (which does not divide a day,
        // so the time-of-day profile cannot learn either): no value is new, only the shape of the last few is.
        var random = new Random(11);
        var values = new double[6000];
        for (var i = 0; i < values.Length; i++)
        {
            var phase = i % period;
            var half = period / 2;
            var square = phase < half ? 0.0 : 10.0;
            var triangle = phase < half ? 10.0 * phase / half : 10.0 * (period - phase) / half;
            values[i] = (i < 4000 ? square : triangle) + (0.1 * (random.NextDouble() - 0.5));
        }

        var with = Run(new AnomalyDetector(), values);
        var without = Run(new AnomalyDetector(new AnomalyDetectorOptions { PatternWindow = 0 }), values);

        Assert.DoesNotContain(with[..4000], s => s > 0);
        Assert.InRange(Array.FindIndex(with, s => s > 0), 4000, 4010);
        Assert.DoesNotContain(without, s => s > 0);
    }
}
