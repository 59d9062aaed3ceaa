namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>A field type as written, and what it resolves to (scalar name, or the local name of a message or enum).</summary>
internal sealed class ProtoFieldType(string written)
{
    public string Written { get; } = written;

    public ProtoTypeKind Kind { get; set; } = ProtoTypeKind.Scalar;

    /// <summary>Scalar name, or the type's name without the package (so moving a file to a new package is reported once, as PACKAGE_CHANGED).</summary>
    public string Resolved { get; set; } = written;
}
