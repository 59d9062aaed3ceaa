namespace Autopilot.Engines.Anomaly;

/// <summary>One service level objective over the spans of an asset, alerted on by multi-window burn rates.</summary>
public sealed class SloOptions
{
    /// <summary>Unique SLO name, used in findings.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The asset: an exact URN, or a pattern (<c>prefix*</c>, <c>*suffix</c>, <c>*</c>) giving each matching URN its own budget.</summary>
    public string Urn { get; set; } = string.Empty;

    /// <summary>Share of good spans promised, in (0, 1). Default 0.999.</summary>
    public double Objective { get; set; } = 0.999;

    /// <summary>Which spans are bad. Default <see cref="SloBadDefinition.ErrorOr5xx"/>.</summary>
    public SloBadDefinition Bad { get; set; } = SloBadDefinition.ErrorOr5xx;

    /// <summary>When set, a span slower than this also counts as bad (a latency SLO). Default none.</summary>
    public TimeSpan? LatencyThreshold { get; set; }

    /// <summary>The SLO period whose error budget "budget consumed" refers to. Default 30 days.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Spans a pair's short window needs before the pair is judged, so one failed request is not an outage. Default 10.</summary>
    public int MinEvents { get; set; } = 10;

    internal void Validate(string key)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException($"{key}.name is required.");
        }

        if (!UrnPattern.IsValid(Urn))
        {
            throw new ArgumentException($"{key}.urn: '{Urn}' is not an exact URN, 'prefix*', '*suffix' or '*' (SLO '{Name}').");
        }

        if (!(Objective is > 0 and < 1))
        {
            throw new ArgumentException($"{key}.objective must be in (0, 1), such as 0.999, got {Objective} (SLO '{Name}').");
        }

        if (!Enum.IsDefined(Bad))
        {
            throw new ArgumentException($"{key}.bad must be errorOr5xx, error or http5xx (SLO '{Name}').");
        }

        if (LatencyThreshold is { } l && l <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{key}.latencyThreshold must be positive when set (SLO '{Name}').");
        }

        if (Period < TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"{key}.period must be at least 1 day, got {Period} (SLO '{Name}').");
        }

        if (MinEvents < 1)
        {
            throw new ArgumentException($"{key}.minEvents must be at least 1, got {MinEvents} (SLO '{Name}').");
        }
    }
}
