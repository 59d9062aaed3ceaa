namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>A field's label; <see cref="None"/> is proto3's implicit singular field (and fields inside a oneof).</summary>
internal enum ProtoLabel
{
    None,
    Optional,
    Required,
    Repeated,
}
