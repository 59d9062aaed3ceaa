using System.Security.Cryptography;
using System.Text;

namespace Autopilot.Engines.Findings;

/// <summary>
/// Something an engine found wrong with an asset (DESIGN.md, "Finding"). The id is derived from engine,
/// kind, URN and window, so the same problem found again (or on replay) has the same id and is
/// deduplicated rather than counted twice.
/// </summary>
public sealed record Finding(
    string Id,
    string Urn,
    string Engine,
    string Kind,
    FindingSeverity Severity,
    double Score,
    long WindowStartUnixNano,
    long WindowEndUnixNano,
    long TimeUnixNano,
    string Summary,
    IReadOnlyList<Evidence> Evidence)
{
    /// <summary>Builds a finding whose id is stable for (engine, kind, urn, window start).</summary>
    public static Finding Create(string engine, string kind, string urn, FindingSeverity severity, double score, long windowStart, long windowEnd, long time, string summary, params Evidence[] evidence) =>
        new(StableId(engine, kind, urn, windowStart), urn, engine, kind, severity, Math.Round(score, 6), windowStart, windowEnd, time, summary, evidence);

    /// <summary>
    /// The strongest first: worst severity, then highest score, then earliest window. The order the RCA ranker picks the
    /// findings it ranks in, and the correlator the findings it keeps of a long incident: one order for both.
    /// </summary>
    public static IComparer<Finding> StrongestFirst { get; } = Comparer<Finding>.Create(static (x, y) =>
    {
        var order = y.Severity.CompareTo(x.Severity);
        order = order != 0 ? order : y.Score.CompareTo(x.Score);
        return order != 0 ? order : x.WindowStartUnixNano.CompareTo(y.WindowStartUnixNano);
    });

    public static string StableId(string engine, string kind, string urn, long windowStart)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{engine}|{kind}|{urn}|{windowStart}"));
        return "f-" + Convert.ToHexStringLower(hash.AsSpan(0, 10));
    }
}
