namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>What a field's type resolved to.</summary>
internal enum ProtoTypeKind
{
    Scalar,
    Enum,
    Message,

    /// <summary>A named type this file does not define (an import): compared by name.</summary>
    Unresolved,
}
