using Autopilot.Engines.Findings;
using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Ranking;

/// <summary>
/// One candidate root cause with the parts of its score: <see cref="Confidence"/> is the calibrated value the
/// answer shows; <see cref="Raw"/> mixes the random-walk share, onset, strength and change scores.
/// </summary>
internal sealed record RankedSuspect(
    string Urn,
    string Kind,
    double Confidence,
    double Raw,
    double WalkShare,
    double OnsetScore,
    double Strength,
    bool Inferred,
    double ChangeScore,
    ChangeEvent? Change,
    long? OnsetUnixNano,
    int AnomalousDependents,
    int DirectDependents,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<Evidence> Evidence);
