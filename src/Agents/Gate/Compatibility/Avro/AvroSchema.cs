namespace Autopilot.Agents.Gate.Compatibility.Avro;

/// <summary>One parsed Avro schema node. Named types (record, enum, fixed) are shared by every reference to them.</summary>
internal sealed class AvroSchema(AvroKind kind, int line)
{
    public AvroKind Kind { get; } = kind;

    public int Line { get; } = line;

    /// <summary>Namespace-qualified name of a record, enum or fixed.</summary>
    public string? FullName { get; init; }

    /// <summary>The unqualified name; Avro's resolution matches records, enums and fixed by it.</summary>
    public string? Name { get; init; }

    /// <summary>Full names this named type is also known by (a reader's aliases accept a writer's old name).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public List<AvroField> Fields { get; } = [];

    public IReadOnlyList<string> Symbols { get; init; } = [];

    /// <summary>An enum's default symbol (Avro 1.9+): what a reader uses for a symbol it does not know.</summary>
    public string? EnumDefault { get; init; }

    /// <summary>Array items or map values.</summary>
    public AvroSchema? Element { get; set; }

    public int Size { get; init; }

    public IReadOnlyList<AvroSchema> Branches { get; init; } = [];

    public bool IsNamed => Kind is AvroKind.Record or AvroKind.Enum or AvroKind.Fixed;

    /// <summary>Short description for messages: <c>int</c>, <c>record Order</c>, <c>array&lt;string&gt;</c>, <c>union[null, string]</c>.</summary>
    public string Describe() => Kind switch
    {
        AvroKind.Record => "record " + Name,
        AvroKind.Enum => "enum " + Name,
        AvroKind.Fixed => $"fixed {Name}({Size})",
        AvroKind.Array => $"array<{Element!.Describe()}>",
        AvroKind.Map => $"map<{Element!.Describe()}>",
        AvroKind.Union => "union[" + string.Join(", ", Branches.Select(b => b.Describe())) + "]",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
