using Autopilot.Simulator.Faults;

namespace Autopilot.Simulator.Accuracy;

/// <summary>
/// The outcome of one accuracy run: the fault and its ground truth, the fault incident (null: undetected), the
/// ranked roots scored and the rank of the true root in them (1-based; null when absent), plus diagnostics: how many
/// fault findings there were and how many incidents they were split over, and whether the root itself had a finding.
/// </summary>
public sealed record RcaRunScore(
    int Run,
    int Seed,
    FaultKind Kind,
    string Target,
    string RootUrn,
    string? IncidentId,
    IReadOnlyList<string> RankedRoots,
    string RankingSource,
    int? Rank,
    int FaultFindings,
    int FaultIncidents,
    bool RootHasFinding,
    long Spans,
    TimeSpan Elapsed,
    string? Error)
{
    public bool Detected => IncidentId is not null;

    public bool Top1 => Rank == 1;

    public bool Top3 => Rank is >= 1 and <= 3;
}
