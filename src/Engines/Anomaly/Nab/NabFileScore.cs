namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>One file's share of a profile's result at the chosen threshold.</summary>
/// <param name="Name">File name relative to the data folder.</param>
/// <param name="RawScore">Sum of the file's window and false-positive scores.</param>
/// <param name="Windows">Number of labelled windows.</param>
/// <param name="TruePositives">Windows with at least one detection.</param>
/// <param name="FalsePositives">Detections outside every window (after probation).</param>
/// <param name="FalseNegatives">Windows without a detection.</param>
public sealed record NabFileScore(string Name, double RawScore, int Windows, int TruePositives, int FalsePositives, int FalseNegatives);
