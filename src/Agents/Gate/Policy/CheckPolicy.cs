namespace Autopilot.Agents.Gate.Policy;

/// <summary>One check as a tier configures it: its final mode, an optional rollout, and check-specific options.</summary>
internal sealed class CheckPolicy(string check, EnforcementMode mode, RolloutSchedule? rollout)
{
    public string Check { get; } = check;

    /// <summary>The mode once every rollout date has passed.</summary>
    public EnforcementMode Mode { get; } = mode;

    public RolloutSchedule? Rollout { get; } = rollout;

    /// <summary>telemetry-validation: a missing report fails the check (otherwise it is skipped).</summary>
    public bool RequireReport { get; init; }

    /// <summary>telemetry-validation: accept a report made for another commit than the one the gate runs on.</summary>
    public bool AllowStaleCommit { get; init; }

    /// <summary>The mode that applies on <paramref name="today"/>: the rollout stage, never stricter than <see cref="Mode"/>.</summary>
    public EnforcementMode ModeOn(DateOnly today)
    {
        var staged = Rollout switch
        {
            { WarnUntil: { } w } when today < w => EnforcementMode.Warn,
            { SoftFailUntil: { } s } when today < s => EnforcementMode.SoftFail,
            _ => Mode,
        };
        return staged < Mode ? staged : Mode;
    }

    /// <summary>The next day after <paramref name="today"/> on which the mode changes, and the mode from then on.</summary>
    public (DateOnly From, EnforcementMode Mode)? NextChange(DateOnly today)
    {
        var current = ModeOn(today);
        foreach (var date in new[] { Rollout?.WarnUntil, Rollout?.SoftFailUntil }.OfType<DateOnly>().Where(d => d > today).Order())
        {
            var then = ModeOn(date);
            if (then != current)
            {
                return (date, then);
            }
        }

        return null;
    }
}
