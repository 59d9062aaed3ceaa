namespace Autopilot.Engines.Anomaly;

/// <summary>How a threshold rule compares the observed value with its threshold.</summary>
public enum ThresholdComparison
{
    GreaterThan = 0,
    GreaterThanOrEqual = 1,
    LessThan = 2,
    LessThanOrEqual = 3,
}
