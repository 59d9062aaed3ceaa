namespace Autopilot.LoadGen;

/// <summary>What one measured phase produced. Rates are per second of the send window.</summary>
internal sealed record PhaseResult(
    string Name,
    string Mode,
    double OfferedPerSecond,
    double WindowSeconds,
    long OkItems,
    long[] Outcomes,
    long Skipped,
    double ServerCpuSeconds,
    double ClientCpuSeconds,
    long RssEndKb,
    long RssMaxKb,
    long HwmKb,
    double P50Ms,
    double P99Ms,
    double MaxMs)
{
    public double AcceptedPerSecond => WindowSeconds > 0 ? OkItems / WindowSeconds : 0;

    public double ItemsPerCpuSecond => ServerCpuSeconds > 0 ? OkItems / ServerCpuSeconds : 0;

    public long Count(Outcome outcome) => Outcomes[(int)outcome];

    public long Requests => Outcomes.Sum();
}
