namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>A labelled anomaly window; both ends inclusive.</summary>
public readonly record struct NabWindow(DateTime Start, DateTime End);
