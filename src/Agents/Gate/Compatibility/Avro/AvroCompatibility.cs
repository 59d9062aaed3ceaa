namespace Autopilot.Agents.Gate.Compatibility.Avro;

/// <summary>
/// Avro schema resolution (Avro 1.11 specification, "Schema Resolution"), as Apache Avro's
/// <c>SchemaCompatibility.checkReaderWriterCompatibility</c> implements it and Confluent Schema Registry applies it:
/// a reader can read a writer's data when, recursively, primitives match or promote (int→long→float→double,
/// string↔bytes), records match by unqualified name or reader alias and every reader field either exists in the
/// writer (by name or alias) with a readable type or has a default, enums match by name and the reader knows every
/// writer symbol (or has an enum default), fixed types match by name and size, and every writer union branch is
/// readable (a reader union needs one matching branch). Rule ids are Avro's <c>SchemaIncompatibilityType</c> names.
/// </summary>
internal sealed class AvroCompatibility
{
    private readonly Sides _sides;
    private readonly List<Incompatibility> _found;
    private readonly HashSet<(AvroSchema Reader, AvroSchema Writer)> _inProgress = [];

    private AvroCompatibility(Sides sides, List<Incompatibility> found)
    {
        _sides = sides;
        _found = found;
    }

    /// <summary>Adds to <paramref name="found"/> every reason <paramref name="reader"/> cannot read <paramref name="writer"/>'s data.</summary>
    public static void Check(AvroSchema reader, AvroSchema writer, CompatibilityDirection direction, List<Incompatibility> found) =>
        new AvroCompatibility(new Sides(direction), found).Compare(reader, writer, RootPath(reader, writer));

    private static string RootPath(AvroSchema reader, AvroSchema writer) => reader.Name ?? writer.Name ?? "(root)";

    /// <summary>True when reader can read writer; records the reasons when it cannot.</summary>
    private bool Compare(AvroSchema reader, AvroSchema writer, string path)
    {
        // Recursive named types: a pair already being compared is assumed compatible, as Avro does.
        if (!_inProgress.Add((reader, writer)))
        {
            return true;
        }

        try
        {
            return CompareCore(reader, writer, path);
        }
        finally
        {
            _inProgress.Remove((reader, writer));
        }
    }

    private bool CompareCore(AvroSchema reader, AvroSchema writer, string path)
    {
        if (writer.Kind == AvroKind.Union && reader.Kind != AvroKind.Union)
        {
            // Every branch the writer may have written must be readable.
            var ok = true;
            foreach (var branch in writer.Branches)
            {
                ok &= Compare(reader, branch, path);
            }

            return ok;
        }

        switch (reader.Kind)
        {
            case AvroKind.Union:
                return CompareToUnion(reader, writer, path);
            case AvroKind.Record:
                if (!SameKindAndName(reader, writer, path))
                {
                    return false;
                }

                return CompareRecords(reader, writer, path);
            case AvroKind.Enum:
                if (!SameKindAndName(reader, writer, path))
                {
                    return false;
                }

                var missing = writer.Symbols.Where(s => !reader.Symbols.Contains(s, StringComparer.Ordinal)).ToList();
                if (missing.Count > 0 && reader.EnumDefault is null)
                {
                    Add(path, "MISSING_ENUM_SYMBOLS", HeadLine(reader, writer),
                        $"enum '{path}' in the {_sides.Reader} schema lacks symbol(s) {string.Join(", ", missing)} that the {_sides.Writer} schema can write, and declares no enum default to read them as");
                    return false;
                }

                return true;
            case AvroKind.Fixed:
                if (!SameKindAndName(reader, writer, path))
                {
                    return false;
                }

                if (reader.Size != writer.Size)
                {
                    Add(path, "FIXED_SIZE_MISMATCH", HeadLine(reader, writer),
                        $"fixed '{path}' is {writer.Size} bytes in the {_sides.Writer} schema and {reader.Size} bytes in the {_sides.Reader} schema");
                    return false;
                }

                return true;
            case AvroKind.Array or AvroKind.Map:
                if (writer.Kind != reader.Kind)
                {
                    return TypeMismatch(reader, writer, path);
                }

                return Compare(reader.Element!, writer.Element!, path + (reader.Kind == AvroKind.Array ? "[]" : "{}"));
            default:
                return reader.Kind == writer.Kind || Promotes(writer.Kind, reader.Kind) || TypeMismatch(reader, writer, path);
        }
    }

    private bool CompareToUnion(AvroSchema reader, AvroSchema writer, string path)
    {
        if (writer.Kind == AvroKind.Union)
        {
            var ok = true;
            foreach (var branch in writer.Branches)
            {
                ok &= CompareToUnion(reader, branch, path);
            }

            return ok;
        }

        // A reader union reads a writer type when any branch can; trial comparisons must not leave findings behind.
        foreach (var branch in reader.Branches)
        {
            var trial = new List<Incompatibility>();
            var probe = new AvroCompatibility(_sides, trial);
            foreach (var pair in _inProgress)
            {
                probe._inProgress.Add(pair);
            }

            if (probe.Compare(branch, writer, path))
            {
                return true;
            }
        }

        Add(path, "MISSING_UNION_BRANCH", HeadLine(reader, writer),
            $"'{path}' is {reader.Describe()} in the {_sides.Reader} schema, which has no branch that can read {writer.Describe()} written by the {_sides.Writer} schema");
        return false;
    }

    private bool CompareRecords(AvroSchema reader, AvroSchema writer, string path)
    {
        var ok = true;
        foreach (var readerField in reader.Fields)
        {
            var fieldPath = path + "." + readerField.Name;
            var writerField = Lookup(writer, readerField);
            if (writerField is null)
            {
                if (!readerField.HasDefault)
                {
                    ok = false;
                    var message = _sides.ReaderIsHead
                        ? $"field '{fieldPath}' ({readerField.Type.Describe()}) was added without a default, so the new schema cannot read records written with the old one"
                        : $"field '{fieldPath}' ({readerField.Type.Describe()}) was removed and has no default in the old schema, so the old schema cannot read records written with the new one";
                    Add(fieldPath, "READER_FIELD_MISSING_DEFAULT_VALUE", _sides.ReaderIsHead ? readerField.Line : writer.Line, message);
                }

                continue;
            }

            ok &= Compare(readerField.Type, writerField.Type, fieldPath);
        }

        return ok;
    }

    private static AvroField? Lookup(AvroSchema writer, AvroField readerField)
    {
        foreach (var f in writer.Fields)
        {
            if (string.Equals(f.Name, readerField.Name, StringComparison.Ordinal))
            {
                return f;
            }
        }

        foreach (var alias in readerField.Aliases)
        {
            foreach (var f in writer.Fields)
            {
                if (string.Equals(f.Name, alias, StringComparison.Ordinal))
                {
                    return f;
                }
            }
        }

        return null;
    }

    private bool SameKindAndName(AvroSchema reader, AvroSchema writer, string path)
    {
        if (reader.Kind != writer.Kind)
        {
            return TypeMismatch(reader, writer, path);
        }

        // Avro matches named types by unqualified name, or by a reader alias naming the writer's full name.
        if (string.Equals(reader.Name, writer.Name, StringComparison.Ordinal) || reader.Aliases.Contains(writer.FullName!, StringComparer.Ordinal))
        {
            return true;
        }

        Add(path, "NAME_MISMATCH", HeadLine(reader, writer),
            $"'{path}' is {writer.Describe()} in the {_sides.Writer} schema and {reader.Describe()} in the {_sides.Reader} schema; names must match (or the reader must list '{writer.FullName}' in its aliases)");
        return false;
    }

    private bool TypeMismatch(AvroSchema reader, AvroSchema writer, string path)
    {
        Add(path, "TYPE_MISMATCH", HeadLine(reader, writer),
            $"'{path}' is {writer.Describe()} in the {_sides.Writer} schema and {reader.Describe()} in the {_sides.Reader} schema; {reader.Describe()} cannot read {writer.Describe()}");
        return false;
    }

    /// <summary>Avro's promotions: the writer's type may be read as the reader's.</summary>
    internal static bool Promotes(AvroKind writer, AvroKind reader) => (writer, reader) switch
    {
        (AvroKind.Int, AvroKind.Long or AvroKind.Float or AvroKind.Double) => true,
        (AvroKind.Long, AvroKind.Float or AvroKind.Double) => true,
        (AvroKind.Float, AvroKind.Double) => true,
        (AvroKind.String, AvroKind.Bytes) => true,
        (AvroKind.Bytes, AvroKind.String) => true,
        _ => false,
    };

    private int HeadLine(AvroSchema reader, AvroSchema writer) => _sides.ReaderIsHead ? reader.Line : writer.Line;

    private void Add(string path, string rule, int line, string message) =>
        _found.Add(new Incompatibility(_sides.Direction, path, rule, $"{_sides.Prefix}: {message} ({rule})", line));
}
