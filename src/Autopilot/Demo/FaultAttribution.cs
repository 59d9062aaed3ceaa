using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;

namespace Autopilot.Host.Demo;

/// <summary>
/// Which injected fault each finding belongs to, and so which incident each fault produced: the ground truth the
/// demo's summary compares the RCA answers with.
/// </summary>
/// <remarks>
/// A finding belongs to an injected fault when it comes at or after the fault's onset and lies on one of the assets
/// the fault can reach (<c>FaultSpec.AffectedUrns</c>, as the accuracy suite's <c>FaultIncident</c> counts them),
/// <c>freshness.recovered</c> excepted. Several faults at once can reach the same assets (every service fault
/// reaches the gateway and the front end), so such a finding goes to the fault whose root is nearest to it in the
/// asset graph, then to the fault injected first. A fault's incident is the incident listing most of its findings
/// (ties: opened first, then smaller id); none means the fault was not found.
/// </remarks>
internal static class FaultAttribution
{
    /// <param name="faults">The injected faults, in injection order.</param>
    /// <param name="findings">Findings from the server.</param>
    /// <param name="distance">Hops between two assets in the asset graph; <see cref="int.MaxValue"/> when not connected.</param>
    /// <returns>Each fault's findings, by <see cref="PlannedFault.Number"/> (every fault has an entry).</returns>
    public static Dictionary<int, List<Finding>> Attribute(IReadOnlyList<InjectedFault> faults, IReadOnlyList<Finding> findings, Func<string, string, int> distance)
    {
        var byFault = faults.ToDictionary(f => f.Fault.Number, _ => new List<Finding>());
        foreach (var finding in findings)
        {
            if (finding.Kind == "freshness.recovered")
            {
                continue;
            }

            InjectedFault? owner = null;
            var nearest = int.MaxValue;
            foreach (var fault in faults)
            {
                if (finding.TimeUnixNano < fault.OnsetUnixNano || !fault.Fault.Spec.AffectedUrns.Contains(finding.Urn, StringComparer.Ordinal))
                {
                    continue;
                }

                var hops = finding.Urn == fault.Fault.Spec.RootUrn ? 0 : distance(fault.Fault.Spec.RootUrn, finding.Urn);
                if (owner is null || hops < nearest)
                {
                    owner = fault;
                    nearest = hops;
                }
            }

            if (owner is not null)
            {
                byFault[owner.Fault.Number].Add(finding);
            }
        }

        return byFault;
    }

    /// <summary>The incident listing most of <paramref name="findings"/> (ties: opened first, then smaller id) and how many it lists; null when none does.</summary>
    public static (Incident? Incident, int Count) IncidentOf(IReadOnlyCollection<Finding> findings, IReadOnlyList<Incident> incidents)
    {
        if (findings.Count == 0)
        {
            return (null, 0);
        }

        var ids = findings.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        Incident? best = null;
        var bestCount = 0;
        foreach (var incident in incidents)
        {
            var count = 0;
            foreach (var id in incident.FindingIds)
            {
                if (ids.Contains(id))
                {
                    count++;
                }
            }

            if (count > 0 && (best is null || count > bestCount
                || (count == bestCount && (incident.OpenedUnixNano < best.OpenedUnixNano
                    || (incident.OpenedUnixNano == best.OpenedUnixNano && string.CompareOrdinal(incident.Id, best.Id) < 0)))))
            {
                best = incident;
                bestCount = count;
            }
        }

        return (best, bestCount);
    }
}
