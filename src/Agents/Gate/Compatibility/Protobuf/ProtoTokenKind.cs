namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

internal enum ProtoTokenKind
{
    Identifier,
    Integer,
    Float,
    String,
    Symbol,
    End,
}
