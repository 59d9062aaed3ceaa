namespace Autopilot.Engines.Volume;

/// <summary>Options of the volume engine. Every default lives here.</summary>
public sealed class VolumeOptions
{
    /// <summary>Whether the engine runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Tumbling event-time window signals are counted in. Must divide an hour. Default 5 min.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Threshold in robust z units: |observed − expected| / scale, where scale is the larger of the baseline's
    /// robust spread (σ-equivalent of its mean absolute deviation) and the Poisson spread √expected. Default 4:
    /// with 288 windows a day, a 3σ rule would alarm on noise about once a day per URN.
    /// </summary>
    public double Sensitivity { get; set; } = 4.0;

    /// <summary>
    /// Relative floor: a change smaller than this fraction of the expected count is never a finding, so very
    /// stable series do not alarm on tiny changes. Default 0.3.
    /// </summary>
    public double MinRelativeChange { get; set; } = 0.3;

    /// <summary>Which direction is a finding unless <see cref="Directions"/> says otherwise. Default both.</summary>
    public VolumeDirection Direction { get; set; } = VolumeDirection.Both;

    /// <summary>Per-URN override of <see cref="Direction"/>. Empty by default.</summary>
    public Dictionary<string, VolumeDirection> Directions { get; } = new(StringComparer.Ordinal);

    /// <summary>Closed windows a URN needs before it is judged at all (warm-up). Default 12 (one hour).</summary>
    public int MinObservations { get; set; } = 12;

    /// <summary>
    /// Windows a seasonal slot (hour of day, hour of week) needs before it replaces the coarser baseline.
    /// Default 12: the hour-of-day slot is used after one day, the hour-of-week slot after one week.
    /// </summary>
    public int MinSlotObservations { get; set; } = 12;

    /// <summary>
    /// Weight of a new window in a baseline once it is warm (before that, a plain mean). Default 0.1: about the
    /// last ten windows of a slot, so an hour-of-week slot forgets over roughly a week and a level shift is
    /// learned within about an hour.
    /// </summary>
    public double Alpha { get; set; } = 0.1;

    /// <summary>Offset of the local time that seasonality follows (hour of day, day of week). Default UTC.</summary>
    public TimeSpan UtcOffset { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// While a URN stays anomalous in the same direction, the finding is repeated every this many windows
    /// (new id per window), so an incident stays open without a finding per window. Default 12 (an hour).
    /// </summary>
    public int RenotifyWindows { get; set; } = 12;

    /// <summary>A URN with no signal for this much event time is forgotten. Default 7 days.</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// URNs tracked per shard; beyond it the least recently seen is evicted. Each URN holds 193 baselines
    /// (overall, 24 hour-of-day, 168 hour-of-week; 24 bytes each) and 4 open windows: about 5 KB, so the
    /// default bounds the engine to about 50 MB per shard. Default 10,000.
    /// Evictions are counted in <c>autopilot_engines_evictions_total</c>.</summary>
    public int MaxUrns { get; set; } = 10_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        if (Window <= TimeSpan.Zero || TimeSpan.FromHours(1).Ticks % Window.Ticks != 0)
        {
            throw new ArgumentException($"engines.volume.window must be positive and divide an hour, got {Window}.");
        }

        if (!(Sensitivity > 0))
        {
            throw new ArgumentException($"engines.volume.sensitivity must be positive, got {Sensitivity}.");
        }

        if (!(MinRelativeChange >= 0))
        {
            throw new ArgumentException($"engines.volume.minRelativeChange must not be negative, got {MinRelativeChange}.");
        }

        if (!Enum.IsDefined(Direction))
        {
            throw new ArgumentException("engines.volume.direction must be both, drop or spike.");
        }

        foreach (var (urn, direction) in Directions)
        {
            if (!Enum.IsDefined(direction))
            {
                throw new ArgumentException($"engines.volume.directions['{urn}'] must be both, drop or spike.");
            }
        }

        if (MinObservations < 1 || MinSlotObservations < 1)
        {
            throw new ArgumentException("engines.volume.minObservations and engines.volume.minSlotObservations must be at least 1.");
        }

        if (!(Alpha > 0 && Alpha <= 1))
        {
            throw new ArgumentException($"engines.volume.alpha must be in (0, 1], got {Alpha}.");
        }

        if (UtcOffset < TimeSpan.FromHours(-14) || UtcOffset > TimeSpan.FromHours(14))
        {
            throw new ArgumentException($"engines.volume.utcOffset must be within ±14 h, got {UtcOffset}.");
        }

        if (RenotifyWindows < 1)
        {
            throw new ArgumentException($"engines.volume.renotifyWindows must be at least 1, got {RenotifyWindows}.");
        }

        if (ForgetAfter < Window)
        {
            throw new ArgumentException("engines.volume.forgetAfter must be at least one window.");
        }

        if (MaxUrns < 1)
        {
            throw new ArgumentException($"engines.volume.maxUrns must be at least 1, got {MaxUrns}.");
        }
    }
}
