namespace Autopilot.Engines.Anomaly;

/// <summary>Caps of <see cref="SloBurnEngine"/>.</summary>
public sealed class SloEngineOptions
{
    /// <summary>
    /// (SLO, URN) budgets kept per shard. Each is a ring of 4 320 one-minute buckets (3 days, about 35 KB);
    /// least recently fed evicted when full. Default 64 (about 2.2 MB per shard).
    /// Evictions are counted in <c>autopilot_engines_evictions_total</c>.</summary>
    public int MaxTargets { get; set; } = 64;

    internal void Validate(string key)
    {
        if (MaxTargets is < 1 or > 100_000)
        {
            throw new ArgumentException($"{key}.maxTargets must be between 1 and 100000, got {MaxTargets}.");
        }
    }
}
