using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// One multi-window burn-rate alert: it fires when the burn rate over both <see cref="LongWindow"/> and
/// <see cref="ShortWindow"/> exceeds <see cref="Factor"/> (Google SRE workbook, "Alerting on SLOs").
/// </summary>
public sealed record BurnRatePolicy(string Name, TimeSpan LongWindow, TimeSpan ShortWindow, double Factor, FindingSeverity Severity);
