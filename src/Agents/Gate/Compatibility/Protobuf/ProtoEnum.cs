namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>An enum with its values and reservations.</summary>
internal sealed class ProtoEnum(string name, string localName, int line)
{
    public string Name { get; } = name;

    /// <summary>Name without the package, e.g. <c>Order.Status</c>.</summary>
    public string LocalName { get; } = localName;

    public int Line { get; } = line;

    public List<(string Name, long Number, int Line)> Values { get; } = [];

    public ProtoReserved Reserved { get; } = new();
}
