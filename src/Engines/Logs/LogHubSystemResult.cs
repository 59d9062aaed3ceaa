namespace Autopilot.Engines.Logs;

/// <summary>Grouping Accuracy of the miner on one LogHub system.</summary>
public sealed record LogHubSystemResult(string System, int Lines, int TrueTemplates, int MinedTemplates, double GroupingAccuracy);
