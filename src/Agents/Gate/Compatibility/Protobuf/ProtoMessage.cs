namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>A message: fields (oneof members included), nested types and reservations.</summary>
internal sealed class ProtoMessage(string name, string localName, int line)
{
    public string Name { get; } = name;

    /// <summary>Name without the package, e.g. <c>Order.Line</c>.</summary>
    public string LocalName { get; } = localName;

    public int Line { get; } = line;

    public List<ProtoField> Fields { get; } = [];

    public List<string> Oneofs { get; } = [];

    public List<ProtoMessage> Messages { get; } = [];

    public List<ProtoEnum> Enums { get; } = [];

    public ProtoReserved Reserved { get; } = new();
}
