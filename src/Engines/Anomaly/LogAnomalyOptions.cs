using Autopilot.Engines.Logs;

namespace Autopilot.Engines.Anomaly;

/// <summary>Options of <see cref="LogAnomalyEngine"/>.</summary>
public sealed class LogAnomalyOptions
{
    /// <summary>Whether log templates are mined and judged.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Services kept per shard, each with its own template miner; least recently seen evicted when full. Default 2 000
    /// (8 000 with the default 4 shards). What a shard's miners hold is bounded by <see cref="MaxTemplatesPerShard"/>.
    /// Evictions are counted in <c>autopilot_engines_evictions_total</c>.
    /// </summary>
    public int MaxServices { get; set; } = 2_000;

    /// <summary>Templates kept per service (the miner's cap; least recently matched evicted). Default 1 000.</summary>
    public int MaxTemplatesPerService { get; set; } = 1_000;

    /// <summary>
    /// Templates kept by all services of a shard together: past it the least recently seen services are evicted (never the
    /// one whose line founded the template), so many services with few templates each fit, and a few with many cannot
    /// take all the memory. Default 50 000; at least <see cref="MaxTemplatesPerService"/>. Evictions are counted in
    /// <c>autopilot_engines_evictions_total</c>.
    /// </summary>
    public int MaxTemplatesPerShard { get; set; } = 50_000;

    /// <summary>Lines a service must have logged before a new template is reported, so startup does not flood. Default 500.</summary>
    public int WarmupLines { get; set; } = 500;

    /// <summary>Event time since a service's first line before a new template is reported. Default 10 min.</summary>
    public TimeSpan WarmupDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>New-template findings per service per window at most; the rest are counted, not reported. Default 5.</summary>
    public int MaxNewTemplatesPerWindow { get; set; } = 5;

    /// <summary>Tumbling event-time window over which template and error-line counts are compared with their baselines. Default 1 min.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Windows of history a template needs before it can spike. Default 10.</summary>
    public int BaselineWindows { get; set; } = 10;

    /// <summary>Lines of one template (or error lines) a window needs to be a spike. Default 20.</summary>
    public int MinSpikeCount { get; set; } = 20;

    /// <summary>A spike exceeds baseline mean + this many standard deviations (at least √mean, at least 1). Default 4.</summary>
    public double SpikeSigmas { get; set; } = 4;

    /// <summary>A spike is also at least this many times the baseline mean. Default 3.</summary>
    public double SpikeRatio { get; set; } = 3;

    /// <summary>EWMA rate of the per-window count baselines. Default 0.05 (about 20 windows of memory).</summary>
    public double BaselineAlpha { get; set; } = 0.05;

    internal LogTemplateMinerOptions MinerOptions() => new() { MaxTemplates = MaxTemplatesPerService };

    internal void Validate(string key)
    {
        if (!Enabled)
        {
            return;
        }

        if (MaxServices is < 1 or > 100_000)
        {
            throw new ArgumentException($"{key}.maxServices must be between 1 and 100000, got {MaxServices}.");
        }

        if (MaxTemplatesPerService is < 1 or > 100_000)
        {
            throw new ArgumentException($"{key}.maxTemplatesPerService must be between 1 and 100000, got {MaxTemplatesPerService}.");
        }

        if (MaxTemplatesPerShard < MaxTemplatesPerService || MaxTemplatesPerShard > 10_000_000)
        {
            throw new ArgumentException($"{key}.maxTemplatesPerShard must be between maxTemplatesPerService ({MaxTemplatesPerService}) and 10000000, got {MaxTemplatesPerShard}.");
        }

        if (WarmupLines < 0 || WarmupDuration < TimeSpan.Zero)
        {
            throw new ArgumentException($"{key}.warmupLines and {key}.warmupDuration must not be negative.");
        }

        if (MaxNewTemplatesPerWindow < 0)
        {
            throw new ArgumentException($"{key}.maxNewTemplatesPerWindow must not be negative, got {MaxNewTemplatesPerWindow}.");
        }

        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"{key}.window must be between 1 s and 1 h, got {Window}.");
        }

        if (BaselineWindows < 1 || MinSpikeCount < 1)
        {
            throw new ArgumentException($"{key}.baselineWindows and {key}.minSpikeCount must be at least 1.");
        }

        if (!(SpikeSigmas > 0 && double.IsFinite(SpikeSigmas)) || !(SpikeRatio >= 1 && double.IsFinite(SpikeRatio)))
        {
            throw new ArgumentException($"{key}.spikeSigmas must be positive and {key}.spikeRatio at least 1.");
        }

        if (!(BaselineAlpha is > 0 and <= 1))
        {
            throw new ArgumentException($"{key}.baselineAlpha must be in (0, 1], got {BaselineAlpha}.");
        }
    }
}
