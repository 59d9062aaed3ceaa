using Autopilot.Simulator.Faults;

namespace Autopilot.Simulator.Accuracy;

/// <summary>
/// Which incident an accuracy run scores: the one holding most of the fault's findings.
/// </summary>
/// <remarks>
/// <para>A <b>fault finding</b> is a finding whose URN is in <see cref="FaultSpec.AffectedUrns"/> (the root and the
/// assets the fault can reach), whose time is at or after the fault's onset, and which is not
/// <c>freshness.recovered</c> (a recovery is not a symptom).</para>
/// <para>The <b>fault incident</b> is, among the incidents listing at least one fault finding, the one listing the
/// most; ties go to the incident opened first, then to the smaller id. No such incident means the fault went
/// undetected, which counts as a miss for top-1 and top-3.</para>
/// </remarks>
public static class FaultIncident
{
    public static bool IsFaultFinding(FindingView finding, FaultSpec fault, long onsetUnixNano)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(fault);
        return finding.TimeUnixNano >= onsetUnixNano
            && finding.Kind != "freshness.recovered"
            && fault.AffectedUrns.Contains(finding.Urn, StringComparer.Ordinal);
    }

    /// <summary>The fault incident and how many fault findings it lists, plus how many incidents list any; null incident when none does.</summary>
    public static (IncidentView? Incident, int FaultFindings, int Candidates) Select(FaultSpec fault, long onsetUnixNano, IReadOnlyList<IncidentView> incidents, IReadOnlyList<FindingView> findings)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(findings);
        var faultFindings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in findings)
        {
            if (IsFaultFinding(f, fault, onsetUnixNano))
            {
                faultFindings.Add(f.Id);
            }
        }

        IncidentView? best = null;
        var bestCount = 0;
        var candidates = 0;
        foreach (var incident in incidents)
        {
            var count = incident.FindingIds.Count(faultFindings.Contains);
            if (count == 0)
            {
                continue;
            }

            candidates++;
            if (best is null
                || count > bestCount
                || (count == bestCount && (incident.OpenedUnixNano < best.OpenedUnixNano
                    || (incident.OpenedUnixNano == best.OpenedUnixNano && string.CompareOrdinal(incident.Id, best.Id) < 0))))
            {
                best = incident;
                bestCount = count;
            }
        }

        return (best, bestCount, candidates);
    }
}
