namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>The outcome of a NAB run: one result per profile, and what was processed.</summary>
/// <param name="Profiles">Results in <c>profiles.json</c> order.</param>
/// <param name="Files">Data files processed.</param>
/// <param name="Rows">Rows scored by the detector.</param>
/// <param name="DetectorTime">Time spent inside the detector alone.</param>
public sealed record NabBenchmarkResult(IReadOnlyList<NabProfileResult> Profiles, int Files, long Rows, TimeSpan DetectorTime);
