namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>
/// Schema registry compatibility levels (Confluent Schema Registry's names). BACKWARD: the new schema can read
/// data written with the old one; FORWARD: the old schema can read data written with the new one; FULL: both.
/// The _TRANSITIVE variants check against every earlier version instead of only the latest.
/// </summary>
public enum CompatibilityLevel
{
    None,
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
}
