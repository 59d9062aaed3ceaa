namespace Autopilot.Engines.Contracts;

/// <summary>
/// Multi-window burn rates (Google SRE workbook, "Alerting on SLOs"): the rate at which bad windows spend
/// the error budget, <c>(bad / windows) / (1 − objective)</c>, over a long and a short event-time span.
/// An alert needs both above the factor: the long span proves it matters, the short that it is still on.
/// </summary>
internal static class BurnRate
{
    /// <summary>Burn rate of <paramref name="bad"/> bad windows out of <paramref name="windows"/> for an objective such as 0.99.</summary>
    public static double Of(int bad, int windows, double objective) =>
        windows <= 0 ? 0 : (double)bad / windows / (1 - objective);
}
