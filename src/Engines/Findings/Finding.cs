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

    public static string StableId(string engine, string kind, string urn, long windowStart)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{engine}|{kind}|{urn}|{windowStart}"));
        return "f-" + Convert.ToHexStringLower(hash.AsSpan(0, 10));
    }
}
