namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>A parsed .proto file: its package and every message and enum, nested ones included, by local name.</summary>
internal sealed class ProtoFile(string syntax, string? package)
{
    public string Syntax { get; } = syntax;

    public string? Package { get; } = package;

    public List<ProtoMessage> Messages { get; } = [];

    public List<ProtoEnum> Enums { get; } = [];

    /// <summary>Every message, nested ones included, by local name (<c>Order.Line</c>).</summary>
    public Dictionary<string, ProtoMessage> AllMessages { get; } = new(StringComparer.Ordinal);

    /// <summary>Every enum, nested ones included, by local name.</summary>
    public Dictionary<string, ProtoEnum> AllEnums { get; } = new(StringComparer.Ordinal);
}
