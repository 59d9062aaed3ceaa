namespace Autopilot.Engines.Anomaly;

/// <summary>Options of <see cref="MetricAnomalyEngine"/>.</summary>
public sealed class MetricAnomalyOptions
{
    /// <summary>Whether metric series are scored.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Series kept per shard, each with its own detector (about 1.5 KB with its key; about 11 KB in resonance mode); when full the least
    /// recently updated series is evicted (it re-learns if it comes back). Default 10 000 (about 15 MB per shard).
    /// Evictions are counted in <c>autopilot_engines_evictions_total</c>.</summary>
    public int MaxSeries { get; set; } = 10_000;

    /// <summary>
    /// Attribute keys that split a metric into series when present (a small, stable subset: never ids).
    /// Other attributes are ignored. Default <c>state</c>, <c>direction</c>, <c>device</c>, <c>cpu</c>, <c>http.route</c>.
    /// </summary>
    public List<string> SeriesAttributes { get; } = ["state", "direction", "device", "cpu", "http.route"];

    /// <summary>Score from which a finding is critical rather than a warning. Default 0.9.</summary>
    public double CriticalScore { get; set; } = 0.9;

    /// <summary>Detector settings shared by every series; its <c>FireThreshold</c> is the finding threshold. Defaults: the NAB-measured ones.</summary>
    public AnomalyDetectorOptions Detector { get; } = new();

    internal void Validate(string key)
    {
        if (!Enabled)
        {
            return;
        }

        if (MaxSeries is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"{key}.maxSeries must be between 1 and 1000000, got {MaxSeries}.");
        }

        if (SeriesAttributes.Count > 8)
        {
            throw new ArgumentException($"{key}.seriesAttributes may name at most 8 keys, got {SeriesAttributes.Count}.");
        }

        if (!(CriticalScore is > 0 and <= 1))
        {
            throw new ArgumentException($"{key}.criticalScore must be in (0, 1], got {CriticalScore}.");
        }

        AnomalyOptions.ValidateDetector(Detector, key);
    }
}
