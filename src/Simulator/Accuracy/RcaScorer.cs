namespace Autopilot.Simulator.Accuracy;

/// <summary>Scores one finished scenario against a server that has processed all of it (see <see cref="FaultIncident"/> for which incident is scored).</summary>
public static class RcaScorer
{
    public static async Task<RcaRunScore> ScoreAsync(HttpClient api, ScenarioResult result, IRootRanking ranking, int run, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(ranking);
        var scenario = result.Scenario;
        var fault = scenario.Fault;
        var onset = ScenarioRunner.ToUnixNano(scenario.Onset);
        var findings = await AutopilotApi.FindingsAsync(api, onset, cancellationToken).ConfigureAwait(false);
        var incidents = await AutopilotApi.IncidentsAsync(api, cancellationToken).ConfigureAwait(false);
        var (incident, count, candidates) = FaultIncident.Select(fault, onset, incidents, findings);
        var rootFlagged = findings.Any(f => f.Urn == fault.RootUrn && FaultIncident.IsFaultFinding(f, fault, onset));
        if (incident is null)
        {
            return new RcaRunScore(run, scenario.Seed, scenario.Kind, fault.Target, fault.RootUrn, null, [], ranking.Name, null, 0, 0, rootFlagged, result.Stats.Spans, elapsed, null);
        }

        var ranked = await ranking.RankAsync(api, incident, cancellationToken).ConfigureAwait(false);
        int? rank = null;
        for (var i = 0; i < ranked.Urns.Count; i++)
        {
            if (ranked.Urns[i] == fault.RootUrn)
            {
                rank = i + 1;
                break;
            }
        }

        return new RcaRunScore(run, scenario.Seed, scenario.Kind, fault.Target, fault.RootUrn, incident.Id, ranked.Urns, ranked.Source, rank, count, candidates, rootFlagged, result.Stats.Spans, elapsed, null);
    }
}
