using System.Globalization;

namespace Autopilot.Agents.Gate.Compatibility.Avro;

/// <summary>
/// Reads an Avro schema (<c>.avsc</c>, JSON) into <see cref="AvroSchema"/> nodes, resolving named-type references
/// with Avro's namespace rules. Logical types are read as their underlying type, as Avro's own schema resolution does.
/// </summary>
internal sealed class AvroParser
{
    private static readonly Dictionary<string, AvroKind> Primitives = new(StringComparer.Ordinal)
    {
        ["null"] = AvroKind.Null,
        ["boolean"] = AvroKind.Boolean,
        ["int"] = AvroKind.Int,
        ["long"] = AvroKind.Long,
        ["float"] = AvroKind.Float,
        ["double"] = AvroKind.Double,
        ["bytes"] = AvroKind.Bytes,
        ["string"] = AvroKind.String,
    };

    private readonly string _file;
    private readonly Dictionary<string, AvroSchema> _named = new(StringComparer.Ordinal);

    private AvroParser(string file) => _file = file;

    /// <summary>Parses the schema text; throws <see cref="SchemaParseException"/> naming the file, line and problem.</summary>
    public static AvroSchema Parse(string text, string file) => new AvroParser(file).ParseType(JsonTree.Parse(text, file), null);

    private AvroSchema ParseType(JNode node, string? ns)
    {
        switch (node.Kind)
        {
            case JKind.String:
                return Primitives.TryGetValue(node.Text!, out var kind) ? new AvroSchema(kind, node.Line) : Reference(node.Text!, ns, node.Line);
            case JKind.Array:
                return ParseUnion(node, ns);
            case JKind.Object:
                return ParseComplex(node, ns);
            default:
                throw Error(node.Line, $"expected a type name, a type object or a union array, found {node.Kind.ToString().ToLowerInvariant()}");
        }
    }

    private AvroSchema ParseUnion(JNode node, string? ns)
    {
        var branches = new List<AvroSchema>(node.Items!.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in node.Items!)
        {
            var branch = ParseType(item, ns);
            if (branch.Kind == AvroKind.Union)
            {
                throw Error(item.Line, "a union may not directly contain another union");
            }

            // Avro: a union holds at most one schema of each type, except named types with different names.
            var key = branch.IsNamed ? branch.FullName! : branch.Kind.ToString();
            if (!seen.Add(key))
            {
                throw Error(item.Line, $"the union lists {branch.Describe()} twice");
            }

            branches.Add(branch);
        }

        return new AvroSchema(AvroKind.Union, node.Line) { Branches = branches };
    }

    private AvroSchema ParseComplex(JNode node, string? ns)
    {
        var typeNode = node.Get("type") ?? throw Error(node.Line, "a type object needs a \"type\"");
        if (typeNode.Kind != JKind.String)
        {
            // {"type": {...}} or {"type": [...]}: the type is nested one level down.
            return ParseType(typeNode, ns);
        }

        var type = typeNode.Text!;
        switch (type)
        {
            case "record" or "error":
                return ParseRecord(node, ns);
            case "enum":
                return ParseEnum(node, ns);
            case "fixed":
                var (fixedName, fixedSimple, fixedNs) = Name(node, ns);
                var sizeNode = node.Get("size");
                if (sizeNode is not { Kind: JKind.Number } || !int.TryParse(sizeNode.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                {
                    throw Error(node.Line, $"fixed '{fixedName}' needs a whole-number \"size\"");
                }

                return Register(new AvroSchema(AvroKind.Fixed, node.Line) { FullName = fixedName, Name = fixedSimple, Size = size, Aliases = Aliases(node, fixedNs) });
            case "array":
                var items = node.Get("items") ?? throw Error(node.Line, "an array needs \"items\"");
                return new AvroSchema(AvroKind.Array, node.Line) { Element = ParseType(items, ns) };
            case "map":
                var values = node.Get("values") ?? throw Error(node.Line, "a map needs \"values\"");
                return new AvroSchema(AvroKind.Map, node.Line) { Element = ParseType(values, ns) };
            default:
                return Primitives.TryGetValue(type, out var kind) ? new AvroSchema(kind, node.Line) : Reference(type, ns, typeNode.Line);
        }
    }

    private AvroSchema ParseRecord(JNode node, string? ns)
    {
        var (fullName, simple, recordNs) = Name(node, ns);
        var record = Register(new AvroSchema(AvroKind.Record, node.Line) { FullName = fullName, Name = simple, Aliases = Aliases(node, recordNs) });
        var fields = node.Get("fields");
        if (fields is not { Kind: JKind.Array })
        {
            throw Error(node.Line, $"record '{fullName}' needs a \"fields\" array");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in fields.Items!)
        {
            if (!f.IsObject)
            {
                throw Error(f.Line, $"a field of record '{fullName}' must be an object");
            }

            var name = f.GetString("name") ?? throw Error(f.Line, $"a field of record '{fullName}' has no \"name\"");
            CheckName(name, f.Line);
            if (!names.Add(name))
            {
                throw Error(f.Line, $"record '{fullName}' declares field '{name}' twice");
            }

            var typeNode = f.Get("type") ?? throw Error(f.Line, $"field '{fullName}.{name}' has no \"type\"");
            var aliases = f.Get("aliases") is { Kind: JKind.Array } a ? a.Items!.Where(i => i.IsString).Select(i => i.Text!).ToList() : [];
            var field = new AvroField(name, aliases, f.Get("default") is not null, f.Line);
            record.Fields.Add(field);
            field.Type = ParseType(typeNode, recordNs);
        }

        return record;
    }

    private AvroSchema ParseEnum(JNode node, string? ns)
    {
        var (fullName, simple, enumNs) = Name(node, ns);
        var symbolsNode = node.Get("symbols");
        if (symbolsNode is not { Kind: JKind.Array } || symbolsNode.Items!.Any(s => !s.IsString))
        {
            throw Error(node.Line, $"enum '{fullName}' needs \"symbols\": an array of strings");
        }

        var symbols = symbolsNode.Items!.Select(s => s.Text!).ToList();
        if (symbols.Distinct(StringComparer.Ordinal).Count() != symbols.Count)
        {
            throw Error(symbolsNode.Line, $"enum '{fullName}' lists a symbol twice");
        }

        var defaultSymbol = node.GetString("default");
        if (defaultSymbol is not null && !symbols.Contains(defaultSymbol, StringComparer.Ordinal))
        {
            throw Error(node.Line, $"enum '{fullName}' has default '{defaultSymbol}', which is not one of its symbols");
        }

        return Register(new AvroSchema(AvroKind.Enum, node.Line) { FullName = fullName, Name = simple, Symbols = symbols, EnumDefault = defaultSymbol, Aliases = Aliases(node, enumNs) });
    }

    private (string FullName, string Simple, string? Namespace) Name(JNode node, string? enclosing)
    {
        var name = node.GetString("name") ?? throw Error(node.Line, $"a {node.GetString("type")} needs a \"name\"");
        string? ns;
        string simple;
        var dot = name.LastIndexOf('.');
        if (dot >= 0)
        {
            ns = name[..dot];
            simple = name[(dot + 1)..];
        }
        else
        {
            ns = node.Get("namespace") is { } n ? (n.Kind == JKind.String ? n.Text : throw Error(n.Line, "\"namespace\" must be a string")) : enclosing;
            simple = name;
        }

        CheckName(simple, node.Line);
        var full = string.IsNullOrEmpty(ns) ? simple : ns + "." + simple;
        return (full, simple, string.IsNullOrEmpty(ns) ? null : ns);
    }

    private static List<string> Aliases(JNode node, string? ns) =>
        node.Get("aliases") is { Kind: JKind.Array } a
            ? a.Items!.Where(i => i.IsString).Select(i => i.Text!.Contains('.', StringComparison.Ordinal) || ns is null ? i.Text! : ns + "." + i.Text).ToList()
            : [];

    private AvroSchema Register(AvroSchema schema)
    {
        if (!_named.TryAdd(schema.FullName!, schema))
        {
            throw Error(schema.Line, $"type '{schema.FullName}' is defined twice");
        }

        return schema;
    }

    private AvroSchema Reference(string name, string? ns, int line)
    {
        if (!name.Contains('.', StringComparison.Ordinal) && ns is not null && _named.TryGetValue(ns + "." + name, out var inNs))
        {
            return inNs;
        }

        return _named.TryGetValue(name, out var schema)
            ? schema
            : throw Error(line, $"unknown type '{name}' (not a primitive and not defined earlier in this file)");
    }

    private void CheckName(string name, int line)
    {
        var ok = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (!ok)
        {
            throw Error(line, $"'{name}' is not a valid Avro name ([A-Za-z_][A-Za-z0-9_]*)");
        }
    }

    private SchemaParseException Error(int line, string problem) => new(_file, line, problem);
}
