namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>
/// Protobuf compatibility between a base (old) and a head (new) .proto file. Most rules are about the wire
/// format and hold in both directions; they follow Confluent Schema Registry's Protobuf diff
/// (<c>protobuf.diff</c>: PACKAGE_CHANGED, MESSAGE_REMOVED, FIELD_KIND_CHANGED, FIELD_SCALAR_KIND_CHANGED with its
/// scalar groups, FIELD_NAMED_TYPE_CHANGED, FIELD_NUMERIC_LABEL_CHANGED, ONEOF_FIELD_REMOVED,
/// MULTIPLE_FIELDS_MOVED_TO_ONEOF, FIELD_MOVED_TO_EXISTING_ONEOF, REQUIRED_FIELD_ADDED / REMOVED) plus Buf's WIRE
/// category for what the registry lets through but makes the next change unsafe: a deleted field or enum value
/// must have its number reserved (FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED,
/// ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED), reservations must not be dropped (RESERVED_MESSAGE_NO_DELETE,
/// RESERVED_ENUM_NO_DELETE), and a message field keeps its cardinality (FIELD_SAME_LABEL). Required-ness is
/// directional: a field that becomes required breaks BACKWARD (old data may lack it), one that stops being
/// required breaks FORWARD (old readers insist on it); Buf's MESSAGE_SAME_REQUIRED_FIELDS names both.
/// Renaming a field or an enum value, adding fields, messages or enums, and moving one field into a new oneof are
/// wire compatible and not reported.
/// </summary>
internal sealed class ProtoCompatibility
{
    private readonly bool _backward;
    private readonly bool _forward;
    private readonly List<Incompatibility> _found;

    private ProtoCompatibility(bool backward, bool forward, List<Incompatibility> found)
    {
        _backward = backward;
        _forward = forward;
        _found = found;
    }

    /// <summary>Adds every incompatibility between <paramref name="old"/> and <paramref name="head"/> for the directions asked for.</summary>
    public static void Check(ProtoFile old, ProtoFile head, bool backward, bool forward, List<Incompatibility> found)
    {
        if (backward || forward)
        {
            new ProtoCompatibility(backward, forward, found).Compare(old, head);
        }
    }

    private void Compare(ProtoFile old, ProtoFile head)
    {
        if (!string.Equals(old.Package, head.Package, StringComparison.Ordinal))
        {
            Both("(package)", "PACKAGE_CHANGED", 1, $"the package changed from '{old.Package ?? "(none)"}' to '{head.Package ?? "(none)"}', which renames every message");
        }

        foreach (var (name, message) in old.AllMessages)
        {
            if (head.AllMessages.TryGetValue(name, out var now))
            {
                CompareMessage(message, now);
            }
            else
            {
                Both(name, "MESSAGE_REMOVED", 1, $"message '{name}' was removed");
            }
        }

        foreach (var (name, e) in old.AllEnums)
        {
            if (head.AllEnums.TryGetValue(name, out var now))
            {
                CompareEnum(e, now);
            }
        }
    }

    private void CompareMessage(ProtoMessage old, ProtoMessage head)
    {
        var name = old.LocalName;
        foreach (var (from, to) in old.Reserved.Ranges)
        {
            if (!head.Reserved.CoversAll(from, to))
            {
                Both(name, "RESERVED_MESSAGE_NO_DELETE", head.Line, $"message '{name}' no longer reserves {Range(from, to)}, so old data under those numbers could be misread");
            }
        }

        foreach (var reservedName in old.Reserved.Names.Where(n => !head.Reserved.Names.Contains(n)).Order(StringComparer.Ordinal))
        {
            Both(name, "RESERVED_MESSAGE_NO_DELETE", head.Line, $"message '{name}' no longer reserves the name '{reservedName}'");
        }

        var oldByNumber = old.Fields.ToDictionary(f => f.Number);
        var headByNumber = head.Fields.ToDictionary(f => f.Number);
        CompareOneofMoves(old, head, oldByNumber);

        foreach (var f in old.Fields)
        {
            var path = $"{name}.{f.Name} (#{f.Number})";
            if (headByNumber.TryGetValue(f.Number, out var now))
            {
                CompareField(f, now, path);
                continue;
            }

            if (f.Label == ProtoLabel.Required && _forward)
            {
                One(CompatibilityDirection.Forward, path, "REQUIRED_FIELD_REMOVED", head.Line, $"required field '{path}' was removed; old readers reject data without it");
            }

            if (f.Oneof is not null)
            {
                Both(path, "ONEOF_FIELD_REMOVED", head.Line, $"field '{path}' was removed from oneof '{f.Oneof}'; data that set it reads as if the oneof were unset");
            }

            if (!head.Reserved.Covers(f.Number))
            {
                Both(path, "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", head.Line, $"field '{path}' was deleted without reserving number {f.Number} (add 'reserved {f.Number};'), so a later field could reuse it and misread old data");
            }
        }

        foreach (var f in head.Fields)
        {
            if (!oldByNumber.ContainsKey(f.Number) && f.Label == ProtoLabel.Required && _backward)
            {
                One(CompatibilityDirection.Backward, $"{name}.{f.Name} (#{f.Number})", "REQUIRED_FIELD_ADDED", f.Line, $"required field '{name}.{f.Name}' (#{f.Number}) was added; data written with the old schema never has it");
            }
        }
    }

    private void CompareOneofMoves(ProtoMessage old, ProtoMessage head, Dictionary<int, ProtoField> oldByNumber)
    {
        foreach (var oneof in head.Oneofs)
        {
            var members = head.Fields.Where(f => f.Oneof == oneof).ToList();
            var moved = members.Where(f => oldByNumber.TryGetValue(f.Number, out var o) && o.Oneof is null).ToList();
            var existing = members.Count(f => oldByNumber.TryGetValue(f.Number, out var o) && o.Oneof is not null);
            var path = $"{old.LocalName}.{oneof}";
            if (moved.Count > 1)
            {
                Both(path, "MULTIPLE_FIELDS_MOVED_TO_ONEOF", moved[0].Line, $"fields {string.Join(", ", moved.Select(f => f.Name))} moved into oneof '{oneof}'; old data that set several of them loses all but one");
            }
            else if (moved.Count == 1 && existing > 0)
            {
                Both(path, "FIELD_MOVED_TO_EXISTING_ONEOF", moved[0].Line, $"field '{moved[0].Name}' moved into the existing oneof '{oneof}'; old data may set it together with another member");
            }
        }
    }

    private void CompareField(ProtoField old, ProtoField head, string path)
    {
        if (old.IsMap != head.IsMap)
        {
            Both(path, "FIELD_KIND_CHANGED", head.Line, $"field '{path}' changed from {Describe(old)} to {Describe(head)}");
            return;
        }

        if (old.IsMap)
        {
            CompareTypes(old.MapKey!, head.MapKey!, path + " key", head.Line);
            CompareTypes(old.Type, head.Type, path + " value", head.Line);
            return;
        }

        if (!CompareTypes(old.Type, head.Type, path, head.Line))
        {
            return;
        }

        var oldRepeated = old.Label == ProtoLabel.Repeated;
        var headRepeated = head.Label == ProtoLabel.Repeated;
        if (oldRepeated != headRepeated)
        {
            var kind = Kind(head.Type);
            if (kind == "message")
            {
                Both(path, "FIELD_SAME_LABEL", head.Line, $"message field '{path}' changed from {Label(old.Label)} to {Label(head.Label)}; a singular reader keeps only the last of several values");
            }
            else if (ScalarGroup(head.Type) != "string-or-bytes")
            {
                Both(path, "FIELD_NUMERIC_LABEL_CHANGED", head.Line, $"numeric field '{path}' changed from {Label(old.Label)} to {Label(head.Label)}; packed repeated encoding is not readable as a single value");
            }
        }

        if (old.Label != ProtoLabel.Required && head.Label == ProtoLabel.Required && _backward)
        {
            One(CompatibilityDirection.Backward, path, "MESSAGE_SAME_REQUIRED_FIELDS", head.Line, $"field '{path}' became required; data written with the old schema may lack it");
        }

        if (old.Label == ProtoLabel.Required && head.Label != ProtoLabel.Required && _forward)
        {
            One(CompatibilityDirection.Forward, path, "MESSAGE_SAME_REQUIRED_FIELDS", head.Line, $"field '{path}' is no longer required; old readers reject data without it");
        }
    }

    /// <summary>Compares two field types; false when they are incompatible (reported).</summary>
    private bool CompareTypes(ProtoFieldType old, ProtoFieldType head, string path, int line)
    {
        var oldKind = Kind(old);
        var headKind = Kind(head);
        if (oldKind != headKind)
        {
            Both(path, "FIELD_KIND_CHANGED", line, $"field '{path}' changed from {oldKind} {old.Written} to {headKind} {head.Written}");
            return false;
        }

        if (oldKind == "scalar")
        {
            var before = ScalarGroup(old);
            var after = ScalarGroup(head);
            if (before != after)
            {
                Both(path, "FIELD_SCALAR_KIND_CHANGED", line, $"field '{path}' changed from {old.Written} ({before}) to {head.Written} ({after}); only types within one wire group are interchangeable");
                return false;
            }

            return true;
        }

        if (!string.Equals(old.Resolved, head.Resolved, StringComparison.Ordinal))
        {
            Both(path, "FIELD_NAMED_TYPE_CHANGED", line, $"field '{path}' changed from message {old.Resolved} to message {head.Resolved}");
            return false;
        }

        return true;
    }

    private void CompareEnum(ProtoEnum old, ProtoEnum head)
    {
        var name = old.LocalName;
        foreach (var (from, to) in old.Reserved.Ranges)
        {
            if (!head.Reserved.CoversAll(from, to))
            {
                Both(name, "RESERVED_ENUM_NO_DELETE", head.Line, $"enum '{name}' no longer reserves {Range(from, to)}");
            }
        }

        foreach (var reservedName in old.Reserved.Names.Where(n => !head.Reserved.Names.Contains(n)).Order(StringComparer.Ordinal))
        {
            Both(name, "RESERVED_ENUM_NO_DELETE", head.Line, $"enum '{name}' no longer reserves the name '{reservedName}'");
        }

        foreach (var (valueName, number, _) in old.Values)
        {
            if (!head.Values.Any(v => v.Number == number) && !head.Reserved.Covers(number))
            {
                Both($"{name}.{valueName}", "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", head.Line,
                    $"enum value '{name}.{valueName}' = {number} was deleted without reserving {number} (add 'reserved {number};')");
            }
        }
    }

    /// <summary>"scalar" (enums included: they travel as varints), "message" or "map".</summary>
    private static string Kind(ProtoFieldType t) => t.Kind switch
    {
        ProtoTypeKind.Scalar or ProtoTypeKind.Enum => "scalar",
        _ => "message",
    };

    /// <summary>Confluent's scalar groups (the protobuf language guide's "Updating A Message Type").</summary>
    private static string ScalarGroup(ProtoFieldType t) => t.Kind == ProtoTypeKind.Enum ? "varint" : t.Resolved switch
    {
        "int32" or "int64" or "uint32" or "uint64" or "bool" => "varint",
        "sint32" or "sint64" => "zigzag varint",
        "string" or "bytes" => "string-or-bytes",
        "fixed32" or "sfixed32" => "fixed32",
        "fixed64" or "sfixed64" => "fixed64",
        "float" => "float",
        "double" => "double",
        _ => "message",
    };

    private static string Describe(ProtoField f) => f.IsMap ? $"map<{f.MapKey!.Written}, {f.Type.Written}>" : $"{Label(f.Label)} {f.Type.Written}".Trim();

    private static string Label(ProtoLabel label) => label switch
    {
        ProtoLabel.Repeated => "repeated",
        ProtoLabel.Required => "required",
        ProtoLabel.Optional => "optional",
        _ => "singular",
    };

    private static string Range(long from, long to) => from == to ? $"number {from}" : $"numbers {from} to {to}";

    /// <summary>A wire-format rule: it breaks reading in both directions, reported once.</summary>
    private void Both(string path, string rule, int line, string message)
    {
        var direction = _backward ? CompatibilityDirection.Backward : CompatibilityDirection.Forward;
        var prefix = _backward && _forward ? "BACKWARD and FORWARD (wire format)" : _backward ? "BACKWARD (new schema reads old data)" : "FORWARD (old schema reads new data)";
        _found.Add(new Incompatibility(direction, path, rule, $"{prefix}: {message} ({rule})", line));
    }

    private void One(CompatibilityDirection direction, string path, string rule, int line, string message) =>
        _found.Add(new Incompatibility(direction, path, rule, $"{new Sides(direction).Prefix}: {message} ({rule})", line));
}
