namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>Which reader and writer a compatibility finding is about.</summary>
public enum CompatibilityDirection
{
    /// <summary>The new (head) schema reads data written with the old (base) one.</summary>
    Backward,

    /// <summary>The old (base) schema reads data written with the new (head) one.</summary>
    Forward,
}
