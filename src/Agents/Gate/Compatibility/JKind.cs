namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>Kinds of <see cref="JNode"/>.</summary>
internal enum JKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}
