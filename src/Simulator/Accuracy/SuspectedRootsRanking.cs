namespace Autopilot.Simulator.Accuracy;

/// <summary>Scores the incident's <c>suspected_roots</c> as the incident correlator ranked them (onset order and strength today).</summary>
public sealed class SuspectedRootsRanking : IRootRanking
{
    public const string SourceName = "suspected_roots";

    public string Name => SourceName;

    public Task<RankedRoots> RankAsync(HttpClient api, IncidentView incident, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return Task.FromResult(new RankedRoots(incident.SuspectedRoots, SourceName));
    }
}
