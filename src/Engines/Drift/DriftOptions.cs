namespace Autopilot.Engines.Drift;

/// <summary>Options of the drift engine. Every default lives here.</summary>
public sealed class DriftOptions
{
    /// <summary>Whether the engine runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Tumbling event-time window in which distributions and attribute keys are judged. Default 15 min.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Event time, from a series' first value, that forms its reference distribution. Default 1 h.</summary>
    public TimeSpan ReferenceWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Values a reference needs before its bins are fixed (it keeps collecting until then). Default 200.</summary>
    public int MinReferenceCount { get; set; } = 200;

    /// <summary>Values kept for a reference (the first ones); bounds memory per series. Default 2000.</summary>
    public int MaxReferenceSamples { get; set; } = 2000;

    /// <summary>Quantile bins fixed from the reference. Default 10 (deciles).</summary>
    public int Bins { get; set; } = 10;

    /// <summary>Values a window needs before its PSI is judged. Default 100.</summary>
    public int MinWindowCount { get; set; } = 100;

    /// <summary>PSI from which a window is <c>drift.distribution</c>; 0.1–0.25 is moderate, ≥ 0.25 significant. Default 0.25.</summary>
    public double PsiThreshold { get; set; } = 0.25;

    /// <summary>Spans per operation that teach its attribute keys before key drift is judged. Default 200.</summary>
    public int WarmupSpans { get; set; } = 200;

    /// <summary>
    /// A key counts as part of an operation's shape when present on at least this fraction of spans; a new key
    /// at or above it in a window has appeared, a learned key present on at most 1 − it has disappeared. Default 0.95.
    /// </summary>
    public double KeyPresence { get; set; } = 0.95;

    /// <summary>Operations (URN + span name) whose attribute keys are tracked. Default 2000. Past it new ones are not tracked; their signals are counted in <c>autopilot_engines_untracked_total</c>.</summary>
    public int MaxOperations { get; set; } = 2000;

    /// <summary>Distinct attribute keys tracked per operation. Default 64.</summary>
    public int MaxKeysPerOperation { get; set; } = 64;

    /// <summary>Numeric series (span duration per operation, metric per URN and name) tracked for PSI. Default 5000. Past it new ones are not tracked; their signals are counted in <c>autopilot_engines_untracked_total</c>.</summary>
    public int MaxSeries { get; set; } = 5000;

    /// <summary>Dataset schemas remembered for schema drift. Default 10000. Past it new ones are not tracked; their signals are counted in <c>autopilot_engines_untracked_total</c>.</summary>
    public int MaxDatasets { get; set; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        Check(Window > TimeSpan.Zero, "window", "must be positive");
        Check(ReferenceWindow > TimeSpan.Zero, "referenceWindow", "must be positive");
        Check(Bins is >= 2 and <= 100, "bins", $"must be between 2 and 100, got {Bins}");
        Check(MinReferenceCount >= Bins, "minReferenceCount", $"must be at least bins ({Bins}), got {MinReferenceCount}");
        Check(MaxReferenceSamples >= MinReferenceCount, "maxReferenceSamples", $"must be at least minReferenceCount, got {MaxReferenceSamples}");
        Check(MinWindowCount >= 1, "minWindowCount", $"must be at least 1, got {MinWindowCount}");
        Check(PsiThreshold > 0, "psiThreshold", $"must be positive, got {PsiThreshold}");
        Check(WarmupSpans >= 1, "warmupSpans", $"must be at least 1, got {WarmupSpans}");
        Check(KeyPresence is > 0.5 and <= 1, "keyPresence", $"must be in (0.5, 1], got {KeyPresence}");
        Check(MaxOperations >= 1, "maxOperations", $"must be at least 1, got {MaxOperations}");
        Check(MaxKeysPerOperation >= 1, "maxKeysPerOperation", $"must be at least 1, got {MaxKeysPerOperation}");
        Check(MaxSeries >= 1, "maxSeries", $"must be at least 1, got {MaxSeries}");
        Check(MaxDatasets >= 1, "maxDatasets", $"must be at least 1, got {MaxDatasets}");
    }

    private static void Check(bool ok, string key, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"engines.drift.{key} {message}.");
        }
    }
}
