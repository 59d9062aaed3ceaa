namespace Autopilot.Engines.Logs;

/// <summary>Grouping Accuracy of the miner on one LogHub system.</summary>
/// <param name="System">The system's folder name, e.g. <c>HDFS</c>.</param>
/// <param name="Lines">Lines read.</param>
/// <param name="TrueTemplates">Distinct ground-truth event ids.</param>
/// <param name="MinedTemplates">Distinct template ids the miner produced (after resolving merges).</param>
/// <param name="GroupingAccuracy">With every line's id resolved at the end of the stream (merged templates count as one).</param>
/// <param name="GroupingAccuracyAtArrival">With the ids exactly as returned when each line arrived.</param>
public sealed record LogHubSystemResult(string System, int Lines, int TrueTemplates, int MinedTemplates, double GroupingAccuracy, double GroupingAccuracyAtArrival);
