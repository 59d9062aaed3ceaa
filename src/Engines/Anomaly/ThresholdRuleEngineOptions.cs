namespace Autopilot.Engines.Anomaly;

/// <summary>How <see cref="ThresholdRuleEngine"/> evaluates the rules of <see cref="AnomalyOptions.Rules"/>.</summary>
public sealed class ThresholdRuleEngineOptions
{
    /// <summary>Tumbling event-time window over which span percentile rules (<c>p99 &gt; …</c>) are evaluated. Default 10 s.</summary>
    public TimeSpan PercentileWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Spans a percentile window needs before it is judged; sparser windows count as not breaching. Default 5.</summary>
    public int MinSpans { get; set; } = 5;

    /// <summary>A metric condition with no sample for this much event time is forgotten (the rule clears). Default 5 min.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rule states (rule × series) kept per shard; least recently updated evicted when full. Default 10 000. Evictions are counted in <c>autopilot_engines_evictions_total</c>.</summary>
    public int MaxStates { get; set; } = 10_000;

    internal void Validate(string key)
    {
        if (PercentileWindow < TimeSpan.FromSeconds(1) || PercentileWindow > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"{key}.percentileWindow must be between 1 s and 1 h, got {PercentileWindow}.");
        }

        if (MinSpans < 1)
        {
            throw new ArgumentException($"{key}.minSpans must be at least 1, got {MinSpans}.");
        }

        if (StaleAfter <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{key}.staleAfter must be positive.");
        }

        if (MaxStates is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"{key}.maxStates must be between 1 and 1000000, got {MaxStates}.");
        }
    }
}
