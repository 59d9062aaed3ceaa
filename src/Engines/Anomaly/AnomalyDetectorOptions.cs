namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Settings of <see cref="AnomalyDetector"/>. One configuration serves every series: rates are per point,
/// so they mean the same thing whatever the sampling interval. Defaults are the configuration measured on
/// NAB (see benchmarks/RESULTS.md).
/// </summary>
public sealed class AnomalyDetectorOptions
{
    /// <summary>
    /// Scoring method: the surprise signals (the default, and the better on NAB) or ARTime-style adaptive resonance. In
    /// <see cref="AnomalyDetectorMode.Resonance"/> mode only the <c>Resonance*</c> settings apply.
    /// </summary>
    public AnomalyDetectorMode Mode { get; set; } = AnomalyDetectorMode.Surprise;

    /// <summary>
    /// Resonance mode: points of probation, during which the network learns and the vigilance is set, and nothing is reported.
    /// A count, not a share of the series (NAB gives ARTime 15 % of each file's length; a stream's length is unknown).
    /// </summary>
    public int ResonanceProbationPoints { get; set; } = 750;

    /// <summary>Resonance mode: points per block (the network sees one value per block, the extreme of the block).</summary>
    public int ResonanceStep { get; set; } = 5;

    /// <summary>Resonance mode: categories remembered per series; when full, a new one replaces the least recently matched.</summary>
    public int ResonanceCategories { get; set; } = 64;

    /// <summary>EWMA rate of the long baseline (mean and variance of values, differences and seasonal residuals).</summary>
    public double LongAlpha { get; set; } = 0.002;

    /// <summary>EWMA rate of the short mean compared against the long baseline (level shifts).</summary>
    public double ShortAlpha { get; set; } = 0.1;

    /// <summary>Time-of-day bins of the daily profile (seasonal residual).</summary>
    public int SeasonalBins { get; set; } = 48;

    /// <summary>EWMA rate at which each time-of-day bin follows new days.</summary>
    public double SeasonalAlpha { get; set; } = 0.1;

    /// <summary>Rate of the long-run mean and variance of each surprise signal (the likelihood layer's memory).</summary>
    public double LikelihoodLongAlpha { get; set; } = 0.001;

    /// <summary>Rate of the short average of each surprise signal tested against its long-run distribution.</summary>
    public double LikelihoodShortAlpha { get; set; } = 0.5;

    /// <summary>Surprise samples needed before the likelihood layer scores anything.</summary>
    public int LikelihoodMinSamples { get; set; } = 100;

    /// <summary>Lower bound of the surprise signals' standard deviation, so a perfectly steady signal does not make every blip certain.</summary>
    public double LikelihoodMinStdDev { get; set; } = 0.01;

    /// <summary>Scale floor as a fraction of the observed value range, so flat series do not turn rounding into z-scores.</summary>
    public double ScaleFloor { get; set; } = 0.001;

    /// <summary>Gain on how far a value leaves the range seen so far (as a fraction of that range).</summary>
    public double NoveltyGain { get; set; } = 5.0;

    /// <summary>z-score mapped to surprise 1 - 1/e; surprise is <c>1 - exp(-z / SurpriseScale)</c>.</summary>
    public double SurpriseScale { get; set; } = 3.0;

    /// <summary>Points seen before any score is reported.</summary>
    public int WarmupPoints { get; set; } = 200;

    /// <summary>Score at which the detector fires; scores below it are reported as 0.</summary>
    public double FireThreshold { get; set; } = 0.5;

    /// <summary>Points after a detection during which the detector reports 0 (one alert per episode).</summary>
    public int SuppressPoints { get; set; } = 300;

    /// <summary>
    /// A point the daily profile predicts within this many standard deviations of its residual never fires, once
    /// the profile explains the series (see <see cref="SeasonalExplainedSpread"/>): a value that is where the
    /// time of day says it should be is not an anomaly, however large the jump from the previous point. 0 disables it.
    /// </summary>
    public double SeasonalExplainedZ { get; set; } = 2.0;

    /// <summary>
    /// The daily profile explains the series when the spread of its residual is below this fraction of the
    /// spread of the values (0.3: about 90 % of the variance explained).
    /// </summary>
    public double SeasonalExplainedSpread { get; set; } = 0.3;

    /// <summary>
    /// Values per window of the window-pattern signal: the shape of the last this-many values is compared with
    /// the shapes remembered so far (see <see cref="PatternCategories"/>). 0 disables the signal and its memory.
    /// </summary>
    public int PatternWindow { get; set; } = 8;

    /// <summary>Window shapes remembered per series; when full, a new shape replaces the least recently seen one.</summary>
    public int PatternCategories { get; set; } = 16;

    /// <summary>
    /// How closely a window must fit a remembered shape to be learned into it instead of opening a new one
    /// (fuzzy ART's vigilance: 0.9 allows a shape box about 10 % of the value range wide per value).
    /// </summary>
    public double PatternVigilance { get; set; } = 0.9;

    /// <summary>Rate at which a remembered shape widens towards a window it accepts.</summary>
    public double PatternLearningRate { get; set; } = 0.1;

    /// <summary>
    /// Gain on a window's distance outside the nearest remembered shape (mean per value, as a fraction of the range);
    /// the surprise is <c>min(1, gain × distance)</c>.
    /// </summary>
    public double PatternGain { get; set; } = 50.0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        Rate(LongAlpha, nameof(LongAlpha));
        Rate(ShortAlpha, nameof(ShortAlpha));
        Rate(SeasonalAlpha, nameof(SeasonalAlpha));
        Rate(LikelihoodLongAlpha, nameof(LikelihoodLongAlpha));
        Rate(LikelihoodShortAlpha, nameof(LikelihoodShortAlpha));
        if (SeasonalBins is < 1 or > 1440)
        {
            throw new ArgumentOutOfRangeException(nameof(SeasonalBins), SeasonalBins, "SeasonalBins must be between 1 and 1440 (one per minute).");
        }

        if (PatternWindow is < 0 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(PatternWindow), PatternWindow, "PatternWindow must be between 0 (off) and 64.");
        }

        if (PatternCategories is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(PatternCategories), PatternCategories, "PatternCategories must be between 1 and 256.");
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Mode must be Surprise or Resonance.");
        }

        if (ResonanceStep is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(ResonanceStep), ResonanceStep, "ResonanceStep must be between 1 and 1000.");
        }

        // The probation's blocks are kept until it ends and two rings of about that length stay: bound them.
        if (ResonanceProbationPoints < 2 * ResonanceDetector.Window * ResonanceStep || ResonanceProbationPoints / ResonanceStep > ResonanceDetector.MaxProbationBlocks)
        {
            throw new ArgumentOutOfRangeException(nameof(ResonanceProbationPoints), ResonanceProbationPoints, $"ResonanceProbationPoints must be between 2 × 8 × ResonanceStep ({2 * ResonanceDetector.Window * ResonanceStep}) and {ResonanceDetector.MaxProbationBlocks} × ResonanceStep ({(long)ResonanceDetector.MaxProbationBlocks * ResonanceStep}).");
        }

        if (ResonanceCategories is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(ResonanceCategories), ResonanceCategories, "ResonanceCategories must be between 1 and 1024.");
        }

        Rate(PatternVigilance, nameof(PatternVigilance));
        Rate(PatternLearningRate, nameof(PatternLearningRate));
        Positive(PatternGain, nameof(PatternGain));
        NonNegative(LikelihoodMinSamples, nameof(LikelihoodMinSamples));
        NonNegative(WarmupPoints, nameof(WarmupPoints));
        NonNegative(SuppressPoints, nameof(SuppressPoints));
        Positive(LikelihoodMinStdDev, nameof(LikelihoodMinStdDev));
        Positive(NoveltyGain, nameof(NoveltyGain));
        Positive(SurpriseScale, nameof(SurpriseScale));
        if (!(SeasonalExplainedZ >= 0 && double.IsFinite(SeasonalExplainedZ)))
        {
            throw new ArgumentOutOfRangeException(nameof(SeasonalExplainedZ), SeasonalExplainedZ, "SeasonalExplainedZ must be a finite number >= 0.");
        }

        if (!(SeasonalExplainedSpread is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SeasonalExplainedSpread), SeasonalExplainedSpread, "SeasonalExplainedSpread must be in [0, 1].");
        }

        if (!(ScaleFloor >= 0 && double.IsFinite(ScaleFloor)))
        {
            throw new ArgumentOutOfRangeException(nameof(ScaleFloor), ScaleFloor, "ScaleFloor must be a finite number >= 0.");
        }

        if (!(FireThreshold is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(FireThreshold), FireThreshold, "FireThreshold must be in (0, 1].");
        }
    }

    private static void Rate(double value, string name)
    {
        if (!(value is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1].");
        }
    }

    private static void NonNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0.");
        }
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0.");
        }
    }
}
