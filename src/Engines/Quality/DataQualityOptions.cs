namespace Autopilot.Engines.Quality;

/// <summary>Options of the data-quality engine. Every default lives here.</summary>
public sealed class DataQualityOptions
{
    /// <summary>Whether the engine runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Tumbling event-time window over which error ratios are computed. Default 1 min.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Spans a window needs before its error ratio is judged. Default 20.</summary>
    public int MinRequests { get; set; } = 20;

    /// <summary>Error ratio (span status error or HTTP 5xx) from which a window is a finding. Default 0.05.</summary>
    public double ErrorRateThreshold { get; set; } = 0.05;

    /// <summary>Error ratio from which the finding is critical rather than a warning. Default 0.25.</summary>
    public double CriticalErrorRate { get; set; } = 0.25;

    /// <summary>
    /// Attribute keys every signal must carry, by URN kind (<c>service</c>, <c>topic</c>, …) or by a whole URN
    /// (which wins over its kind). A signal lacking one counts towards <c>dq.missing_attribute</c>. Default: none.
    /// </summary>
    public Dictionary<string, string[]> RequiredAttributes { get; } = new(StringComparer.Ordinal);

    /// <summary>Rotation period of the duplicate-id sets: an id seen again within one to two of these is a duplicate. Default 5 min.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Ids remembered per URN per duplicate window; beyond it ids are not checked (bounded memory). Default 50000.</summary>
    public int MaxIdsPerWindow { get; set; } = 50_000;

    /// <summary>URNs tracked at once for duplicates and required attributes; beyond it new URNs are not tracked (their signals are counted in <c>autopilot_engines_untracked_total</c>). Default 10000.</summary>
    public int MaxTrackedUrns { get; set; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        if (Window <= TimeSpan.Zero)
        {
            throw new ArgumentException("engines.dataQuality.window must be positive.");
        }

        if (MinRequests < 1)
        {
            throw new ArgumentException($"engines.dataQuality.minRequests must be at least 1, got {MinRequests}.");
        }

        if (DuplicateWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("engines.dataQuality.duplicateWindow must be positive.");
        }

        if (MaxIdsPerWindow < 1)
        {
            throw new ArgumentException($"engines.dataQuality.maxIdsPerWindow must be at least 1, got {MaxIdsPerWindow}.");
        }

        if (MaxTrackedUrns < 1)
        {
            throw new ArgumentException($"engines.dataQuality.maxTrackedUrns must be at least 1, got {MaxTrackedUrns}.");
        }

        foreach (var (key, keys) in RequiredAttributes)
        {
            if (string.IsNullOrWhiteSpace(key) || keys is null || Array.Exists(keys, string.IsNullOrWhiteSpace))
            {
                throw new ArgumentException($"engines.dataQuality.requiredAttributes.{key} must name a URN kind or URN and list non-empty attribute keys.");
            }
        }

        if (ErrorRateThreshold is <= 0 or > 1 || CriticalErrorRate < ErrorRateThreshold || CriticalErrorRate > 1)
        {
            throw new ArgumentException("engines.dataQuality.errorRateThreshold must be in (0, 1] and at most criticalErrorRate (≤ 1).");
        }
    }
}
