using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator;

/// <summary>
/// One seeded accuracy run: <see cref="Healthy"/> of healthy traffic from <see cref="Start"/>, then the fault at
/// <see cref="Onset"/>, then <see cref="AfterFault"/> more. Everything random (the fault's target and magnitude, the
/// onset, the traffic) follows from <see cref="Seed"/>, so a scenario replays exactly.
/// </summary>
public sealed record Scenario(FaultKind Kind, int Seed, DateTimeOffset Start, TimeSpan Healthy, TimeSpan AfterFault, FaultSpec Fault)
{
    /// <summary>
    /// Healthy history before the fault, at least. The latency detector scores a series only after 60 one-minute
    /// windows (and its likelihood layer after 60 samples), the volume baseline needs 12 five-minute windows and the
    /// metric detector 200 points (50 min at 15 s). The first scored windows (minutes 60 to 70) also bring the odd
    /// false alarm, after which that series stays quiet for 30 windows, and an incident takes in findings on its
    /// assets for 15 min after its last one; so the fault comes 100 to 108 minutes in, when neither a warm-up
    /// alarm's silence nor its incident can swallow the fault's findings.
    /// </summary>
    public static readonly TimeSpan MinHealthy = TimeSpan.FromMinutes(100);

    /// <summary>
    /// Runs end on a multiple of this (event time), so that the engines' last windows (1 min, and 5 min for volume)
    /// are whole: a drain that closes a half-filled window would read it as a drop in volume.
    /// </summary>
    public static readonly TimeSpan EndAlignment = TimeSpan.FromMinutes(5);

    /// <summary>Simulated time at which the fault starts.</summary>
    public DateTimeOffset Onset => Start + Healthy;

    /// <summary>Simulated time at which the run ends.</summary>
    public DateTimeOffset End => Onset + AfterFault;

    /// <summary>
    /// The scenario for <paramref name="kind"/> and <paramref name="seed"/> on <paramref name="topology"/>.
    /// <paramref name="start"/> defaults to 10:00 UTC of the day before <paramref name="now"/> (default: the wall
    /// clock): in the past, so the server's future-skew clamp never applies, and at the same time of day on every
    /// run, so the detectors' time-of-day profiles see the same thing and a seed gives the same findings.
    /// </summary>
    public static Scenario Create(FaultKind kind, int seed, ShopTopology topology, string environment, DateTimeOffset? start = null, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var random = new Random(unchecked((seed * 486_187_739) + (int)kind));
        var begin = start ?? DefaultStart(now ?? DateTimeOffset.UtcNow);
        var healthy = MinHealthy + TimeSpan.FromSeconds(random.Next(0, 8 * 60));
        var fault = FaultCatalog.Create(kind, topology, environment, target: null, random);

        // Service faults show within minutes; a stopped job is stale after 3 of its intervals (15 min), and a
        // schema change breaks the next downstream run, whose job and output then go stale the same way.
        var after = kind is FaultKind.StaleDataset or FaultKind.SchemaChange ? TimeSpan.FromMinutes(28) : TimeSpan.FromMinutes(12);
        var onset = begin + healthy;
        var end = onset + after;
        var aligned = new DateTimeOffset((end.UtcTicks + EndAlignment.Ticks - 1) / EndAlignment.Ticks * EndAlignment.Ticks, TimeSpan.Zero);
        return new Scenario(kind, seed, begin, healthy, aligned - onset, fault);
    }

    /// <summary>10:00 UTC of the day before <paramref name="now"/>.</summary>
    public static DateTimeOffset DefaultStart(DateTimeOffset now) => new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-1).AddHours(10);
}
