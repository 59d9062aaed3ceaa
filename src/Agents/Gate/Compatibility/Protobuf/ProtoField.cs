namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>A message field (map fields carry key and value types).</summary>
internal sealed class ProtoField(string name, int number, ProtoLabel label, ProtoFieldType type, int line)
{
    public string Name { get; } = name;

    public int Number { get; } = number;

    public ProtoLabel Label { get; } = label;

    public ProtoFieldType Type { get; } = type;

    public int Line { get; } = line;

    public ProtoFieldType? MapKey { get; init; }

    public bool IsMap => MapKey is not null;

    /// <summary>The oneof the field belongs to, if any.</summary>
    public string? Oneof { get; init; }
}
