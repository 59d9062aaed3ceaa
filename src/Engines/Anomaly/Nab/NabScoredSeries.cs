namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>A detector's output for one file: one anomaly score per row, aligned with the file's timestamps.</summary>
/// <param name="Name">File name relative to the data folder.</param>
/// <param name="Timestamps">Row timestamps.</param>
/// <param name="Scores">Anomaly score per row, in [0,1].</param>
/// <param name="Windows">Ground-truth windows of the file.</param>
public sealed record NabScoredSeries(string Name, IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double> Scores, IReadOnlyList<NabWindow> Windows);
