namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>One token of a .proto file with its 1-based line.</summary>
internal readonly record struct ProtoToken(ProtoTokenKind Kind, string Text, int Line)
{
    public bool Is(string symbolOrWord) => Kind is ProtoTokenKind.Symbol or ProtoTokenKind.Identifier && string.Equals(Text, symbolOrWord, StringComparison.Ordinal);

    public string Describe() => Kind switch
    {
        ProtoTokenKind.End => "end of file",
        ProtoTokenKind.String => $"\"{Text}\"",
        _ => $"'{Text}'",
    };
}
