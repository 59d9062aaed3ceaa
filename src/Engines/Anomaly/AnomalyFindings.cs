using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Builds findings of the anomaly engines. One URN has many series (metrics, operations, rules, SLOs,
/// templates), so the stable id also covers the series: two series of one service that go wrong in the
/// same window stay two findings, while a replay of the same one keeps its id.
/// </summary>
internal static class AnomalyFindings
{
    public static Finding Create(
        string engine, string kind, string urn, string series, FindingSeverity severity, double score,
        long windowStart, long windowEnd, long time, string summary, params Evidence[] evidence) =>
        new(Finding.StableId(engine, kind, urn + "#" + series, windowStart), urn, engine, kind, severity, Math.Round(score, 6),
            windowStart, windowEnd, time, summary, evidence);

    public static double? Baseline(in Ewm ewm) => ewm.Count > 0 ? ewm.Mean : null;
}
