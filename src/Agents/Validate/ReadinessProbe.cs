namespace Autopilot.Agents.Validate;

/// <summary>Polls <see cref="Url"/> until it answers <see cref="ExpectedStatus"/> (any 2xx when empty) or <see cref="Timeout"/> passes.</summary>
internal sealed record ReadinessProbe(string Url, TimeSpan Timeout, TimeSpan Interval, IReadOnlyList<int> ExpectedStatus)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);
}
