namespace Autopilot.Engines.Freshness;

/// <summary>Options of the freshness engine. Every default lives here.</summary>
public sealed class FreshnessOptions
{
    /// <summary>Whether the engine runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Maximum age per URN (dataset, topic or job). An asset with an SLA is judged against it and never
    /// against a learned interval. Contracts add SLAs at run time through <see cref="FreshnessEngine.SetSla"/>.
    /// Empty by default.
    /// </summary>
    public Dictionary<string, TimeSpan> Slas { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Inter-arrival gaps an asset needs before its learned interval is used; until then (warm-up) an asset
    /// without an SLA is never stale. Default 5: a median of five gaps already ignores one or two outliers,
    /// and an hourly job gets a baseline within six hours.
    /// </summary>
    public int MinObservations { get; set; } = 5;

    /// <summary>
    /// How many recent gaps the learned interval is the median of (memory per asset is 8 bytes per gap).
    /// Default 16: spans most of a day of hourly runs, and a cadence change is learned after about 8 runs.
    /// </summary>
    public int GapHistory { get; set; } = 16;

    /// <summary>
    /// Stale when the age exceeds this many learned intervals. Default 3: one missed run plus a late one
    /// is tolerated, since even regular schedules drift and batch topics are bursty.
    /// </summary>
    public double IntervalFactor { get; set; } = 3.0;

    /// <summary>
    /// Lower bound of the learned threshold, so assets updated every few seconds do not flap on a short
    /// pause. Default 5 min.
    /// </summary>
    public TimeSpan MinStaleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Updates closer than this to the previous counted arrival belong to the same burst and add no gap,
    /// so a batch of messages or rows does not teach a millisecond interval. Default 1 min.
    /// </summary>
    public TimeSpan BurstCoalesce { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A stale asset whose age reaches this multiple of its threshold is escalated to critical (the stale
    /// finding is emitted again with the same id). Default 2.
    /// </summary>
    public double CriticalFactor { get; set; } = 2.0;

    /// <summary>
    /// Assets tracked per shard; beyond it the least recently updated is forgotten. About 300 bytes per
    /// asset with the default gap history. Default 100,000.
    /// </summary>
    public int MaxAssets { get; set; } = 100_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var (urn, maxAge) in Slas)
        {
            if (maxAge <= TimeSpan.Zero)
            {
                throw new ArgumentException($"engines.freshness.slas['{urn}'] must be positive, got {maxAge}.");
            }
        }

        if (MinObservations < 1)
        {
            throw new ArgumentException($"engines.freshness.minObservations must be at least 1, got {MinObservations}.");
        }

        if (GapHistory < MinObservations || GapHistory > 1024)
        {
            throw new ArgumentException($"engines.freshness.gapHistory must be between minObservations and 1024, got {GapHistory}.");
        }

        if (!(IntervalFactor >= 1))
        {
            throw new ArgumentException($"engines.freshness.intervalFactor must be at least 1, got {IntervalFactor}.");
        }

        if (MinStaleAfter <= TimeSpan.Zero)
        {
            throw new ArgumentException("engines.freshness.minStaleAfter must be positive.");
        }

        if (BurstCoalesce < TimeSpan.Zero)
        {
            throw new ArgumentException("engines.freshness.burstCoalesce must not be negative.");
        }

        if (!(CriticalFactor > 1))
        {
            throw new ArgumentException($"engines.freshness.criticalFactor must be greater than 1, got {CriticalFactor}.");
        }

        if (MaxAssets < 1)
        {
            throw new ArgumentException($"engines.freshness.maxAssets must be at least 1, got {MaxAssets}.");
        }
    }
}
