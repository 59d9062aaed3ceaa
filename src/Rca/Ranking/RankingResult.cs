namespace Autopilot.Rca.Ranking;

/// <summary>The ranked suspects (best first, at most <see cref="RcaOptions.MaxRootCauses"/>) and how many were considered.</summary>
internal sealed record RankingResult(IReadOnlyList<RankedSuspect> Suspects, int Candidates, bool UsedGraph);
