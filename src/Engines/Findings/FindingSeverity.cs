namespace Autopilot.Engines.Findings;

public enum FindingSeverity
{
    Info = 0,
    Warning = 1,
    Critical = 2,
}
