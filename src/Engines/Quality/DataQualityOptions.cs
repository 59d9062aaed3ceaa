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

        if (ErrorRateThreshold is <= 0 or > 1 || CriticalErrorRate < ErrorRateThreshold || CriticalErrorRate > 1)
        {
            throw new ArgumentException("engines.dataQuality.errorRateThreshold must be in (0, 1] and at most criticalErrorRate (≤ 1).");
        }
    }
}
