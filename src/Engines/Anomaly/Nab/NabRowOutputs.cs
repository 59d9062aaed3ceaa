namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>A detector's per-row outputs (<c>timestamp,…,anomaly_score</c> per file), read for a comparison.</summary>
/// <param name="Detector">Detector name shown in the comparison; when it names a published detector too, the outputs are also checked against that detector's published per-file scores.</param>
/// <param name="Series">The outputs of the files found, with their windows.</param>
/// <param name="MissingFiles">Compared files with no output file.</param>
public sealed record NabRowOutputs(string Detector, IReadOnlyList<NabScoredSeries> Series, IReadOnlyList<string> MissingFiles);
