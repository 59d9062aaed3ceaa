namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>The result of scoring a set of files under one profile.</summary>
/// <param name="Profile">The profile used.</param>
/// <param name="Threshold">The single threshold, over all files, that maximised the raw score.</param>
/// <param name="RawScore">Raw score at that threshold.</param>
/// <param name="PerfectScore"><c>windows * tp</c>.</param>
/// <param name="NullScore"><c>-windows * fn</c>: the score of a detector that never fires.</param>
/// <param name="NormalizedScore"><c>100 * (raw - null) / (perfect - null)</c>.</param>
/// <param name="Files">Per-file breakdown at the chosen threshold, in input order.</param>
public sealed record NabProfileResult(
    NabProfile Profile,
    double Threshold,
    double RawScore,
    double PerfectScore,
    double NullScore,
    double NormalizedScore,
    IReadOnlyList<NabFileScore> Files);
