namespace Autopilot.Agents.Gate.Compatibility.Avro;

/// <summary>A record field: name, aliases, type and whether it declares a default.</summary>
internal sealed class AvroField(string name, IReadOnlyList<string> aliases, bool hasDefault, int line)
{
    public string Name { get; } = name;

    public IReadOnlyList<string> Aliases { get; } = aliases;

    public bool HasDefault { get; } = hasDefault;

    public int Line { get; } = line;

    /// <summary>Set after the field's type is parsed (records may refer to themselves).</summary>
    public AvroSchema Type { get; set; } = null!;
}
