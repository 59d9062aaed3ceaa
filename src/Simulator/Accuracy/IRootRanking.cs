namespace Autopilot.Simulator.Accuracy;

/// <summary>
/// Which ranked list of root causes the accuracy suite scores for an incident. <see cref="SuspectedRootsRanking"/>
/// reads the incident's own <c>suspected_roots</c>; <see cref="ExplainRanking"/> asks the RCA analyzer
/// (<c>GET /api/incidents/{id}/explain</c>) and falls back to the suspected roots where that route does not exist.
/// </summary>
public interface IRootRanking
{
    /// <summary>Name shown in reports (<c>suspected_roots</c>, <c>explain</c>, <c>auto</c>).</summary>
    string Name { get; }

    Task<RankedRoots> RankAsync(HttpClient api, IncidentView incident, CancellationToken cancellationToken);
}
