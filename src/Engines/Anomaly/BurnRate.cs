using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Burn-rate arithmetic shared by <see cref="SloBurnEngine"/> and the on-call <c>slo</c> command.
/// Burn rate = observed bad ratio / error budget ratio (1 − objective): 1 spends the budget exactly over
/// the SLO period, 14.4 spends 2 % of a 30-day budget in one hour.
/// </summary>
public static class BurnRate
{
    /// <summary>The three policies of the SRE workbook: 1h &amp; 5m &gt; 14.4 and 6h &amp; 30m &gt; 6 page (critical), 3d &amp; 6h &gt; 1 tickets (warning).</summary>
    public static IReadOnlyList<BurnRatePolicy> StandardPolicies { get; } =
    [
        new("1h/5m", TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 14.4, FindingSeverity.Critical),
        new("6h/30m", TimeSpan.FromHours(6), TimeSpan.FromMinutes(30), 6, FindingSeverity.Critical),
        new("3d/6h", TimeSpan.FromDays(3), TimeSpan.FromHours(6), 1, FindingSeverity.Warning),
    ];

    /// <summary>(bad / total) / (1 − objective); 0 when <paramref name="total"/> is 0.</summary>
    public static double Of(long bad, long total, double objective)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bad);
        ArgumentOutOfRangeException.ThrowIfLessThan(total, bad);
        if (!(objective is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(objective), objective, "The objective must be in (0, 1).");
        }

        return total == 0 ? 0.0 : (double)bad / total / (1.0 - objective);
    }

    /// <summary>Share of the period's error budget that <paramref name="burnRate"/> sustained over <paramref name="window"/> consumes.</summary>
    public static double BudgetConsumed(double burnRate, TimeSpan window, TimeSpan period)
    {
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be positive.");
        }

        return burnRate * (window / period);
    }

    /// <summary>Whether <paramref name="policy"/> fires: both burn rates strictly above its factor.</summary>
    public static bool Fires(BurnRatePolicy policy, double longBurnRate, double shortBurnRate)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return longBurnRate > policy.Factor && shortBurnRate > policy.Factor;
    }
}
