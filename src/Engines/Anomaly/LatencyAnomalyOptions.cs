namespace Autopilot.Engines.Anomaly;

/// <summary>Options of <see cref="LatencyAnomalyEngine"/>.</summary>
public sealed class LatencyAnomalyOptions
{
    /// <summary>Whether span latency percentiles are scored.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Tumbling event-time window over which p50/p95/p99 are computed. Default 1 min.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether each operation (span name) of a service is its own series, besides the service as a whole. Default true.</summary>
    public bool PerOperation { get; set; } = true;

    /// <summary>
    /// Series (service, or service + operation) kept per shard; least recently seen evicted when full.
    /// Each holds a detector (about 1.2 KB; about 11 KB in resonance mode) and, while a window is open, a sketch: 160 bytes up to 48 spans in the window, 2.8 KB above. Default 2 000.
    /// Evictions are counted in <c>autopilot_engines_evictions_total</c>.</summary>
    public int MaxSeries { get; set; } = 2_000;

    /// <summary>Spans a window needs before its percentiles are scored. Default 10.</summary>
    public int MinSpans { get; set; } = 10;

    /// <summary>Score from which a finding is critical rather than a warning. Default 0.9.</summary>
    public double CriticalScore { get; set; } = 0.9;

    /// <summary>
    /// Detector settings for the p99 series. One point per window, so warm-up and suppression count windows:
    /// defaults warm up over 60 windows and stay quiet 30 windows after a detection.
    /// </summary>
    public AnomalyDetectorOptions Detector { get; } = new() { WarmupPoints = 60, LikelihoodMinSamples = 60, SuppressPoints = 30 };

    internal void Validate(string key)
    {
        if (!Enabled)
        {
            return;
        }

        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"{key}.window must be between 1 s and 1 h, got {Window}.");
        }

        if (MaxSeries is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"{key}.maxSeries must be between 1 and 1000000, got {MaxSeries}.");
        }

        if (MinSpans < 1)
        {
            throw new ArgumentException($"{key}.minSpans must be at least 1, got {MinSpans}.");
        }

        if (!(CriticalScore is > 0 and <= 1))
        {
            throw new ArgumentException($"{key}.criticalScore must be in (0, 1], got {CriticalScore}.");
        }

        AnomalyOptions.ValidateDetector(Detector, key);
    }
}
