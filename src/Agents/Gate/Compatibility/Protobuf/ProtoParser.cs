using System.Globalization;

namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>
/// A small recursive-descent parser for .proto files (proto2, proto3 and editions syntax): package, messages
/// with fields, labels, numbers, maps, oneofs, groups, nested messages and enums, reserved numbers and names.
/// Options, services, extensions and imports are read past. Field types are resolved with protobuf's scoping
/// rules (innermost scope first); names the file does not define stay unresolved and compare by name.
/// </summary>
internal sealed class ProtoParser
{
    /// <summary>Largest field number (2^29 - 1).</summary>
    private const long MaxFieldNumber = 536_870_911;

    private static readonly HashSet<string> Scalars = new(StringComparer.Ordinal)
    {
        "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
    };

    private readonly string _file;
    private readonly List<ProtoToken> _tokens;
    private int _pos;
    private string? _package;
    private string _syntax = "proto2";

    private ProtoParser(string file, List<ProtoToken> tokens)
    {
        _file = file;
        _tokens = tokens;
    }

    /// <summary>Parses the file; throws <see cref="SchemaParseException"/> naming the file, line and problem.</summary>
    public static ProtoFile Parse(string text, string file)
    {
        var parser = new ProtoParser(file, ProtoLexer.Tokenize(text, file));
        var (messages, enums) = parser.ParseFile();
        var proto = new ProtoFile(parser._syntax, parser._package);
        proto.Messages.AddRange(messages);
        proto.Enums.AddRange(enums);
        foreach (var m in messages)
        {
            Index(proto, m);
        }

        foreach (var e in enums)
        {
            proto.AllEnums[e.LocalName] = e;
        }

        foreach (var m in proto.AllMessages.Values)
        {
            foreach (var f in m.Fields)
            {
                parser.Resolve(proto, m, f.Type);
                if (f.MapKey is { } key)
                {
                    parser.Resolve(proto, m, key);
                }
            }
        }

        return proto;
    }

    private static void Index(ProtoFile proto, ProtoMessage m)
    {
        proto.AllMessages[m.LocalName] = m;
        foreach (var e in m.Enums)
        {
            proto.AllEnums[e.LocalName] = e;
        }

        foreach (var nested in m.Messages)
        {
            Index(proto, nested);
        }
    }

    private (List<ProtoMessage> Messages, List<ProtoEnum> Enums) ParseFile()
    {
        var messages = new List<ProtoMessage>();
        var enums = new List<ProtoEnum>();
        while (Peek.Kind != ProtoTokenKind.End)
        {
            var t = Next();
            switch (t.Text)
            {
                case "syntax" or "edition" when t.Kind == ProtoTokenKind.Identifier:
                    Expect("=");
                    var value = ExpectKind(ProtoTokenKind.String, "a quoted syntax such as \"proto3\"");
                    _syntax = t.Text == "edition" ? "editions" : value.Text;
                    if (_syntax is not ("proto2" or "proto3" or "editions"))
                    {
                        throw Error(value.Line, $"unknown syntax \"{value.Text}\"; expected \"proto2\" or \"proto3\"");
                    }

                    Expect(";");
                    break;
                case "package" when t.Kind == ProtoTokenKind.Identifier:
                    _package = FullIdent();
                    Expect(";");
                    break;
                case "import" or "option" when t.Kind == ProtoTokenKind.Identifier:
                    SkipStatement();
                    break;
                case "message" when t.Kind == ProtoTokenKind.Identifier:
                    messages.Add(ParseMessage(null, t.Line));
                    break;
                case "enum" when t.Kind == ProtoTokenKind.Identifier:
                    enums.Add(ParseEnum(null, t.Line));
                    break;
                case "service" or "extend" when t.Kind == ProtoTokenKind.Identifier:
                    SkipDeclaration();
                    break;
                case ";" when t.Kind == ProtoTokenKind.Symbol:
                    break;
                default:
                    throw Error(t.Line, $"unexpected {t.Describe()}; expected syntax, package, import, option, message, enum, service or extend");
            }
        }

        return (messages, enums);
    }

    private ProtoMessage ParseMessage(string? parent, int line)
    {
        var name = ExpectIdent("a message name");
        var message = new ProtoMessage(name, parent is null ? name : parent + "." + name, line);
        Expect("{");
        ParseMessageBody(message);
        return message;
    }

    private void ParseMessageBody(ProtoMessage message)
    {
        while (true)
        {
            var t = Peek;
            if (t.Kind == ProtoTokenKind.End)
            {
                throw Error(t.Line, $"message '{message.LocalName}' is never closed (missing '}}')");
            }

            if (t.Is("}"))
            {
                Next();
                break;
            }

            if (t.Is(";"))
            {
                Next();
                continue;
            }

            if (t.Kind == ProtoTokenKind.Identifier && IsDeclaration(t.Text))
            {
                Next();
                switch (t.Text)
                {
                    case "message":
                        message.Messages.Add(ParseMessage(message.LocalName, t.Line));
                        break;
                    case "enum":
                        message.Enums.Add(ParseEnum(message.LocalName, t.Line));
                        break;
                    case "extend":
                        SkipDeclaration();
                        break;
                    case "option" or "extensions":
                        SkipStatement();
                        break;
                    case "reserved":
                        ParseReserved(message.Reserved, MaxFieldNumber);
                        break;
                    case "oneof":
                        ParseOneof(message);
                        break;
                    default:
                        ParseMap(message, t.Line);
                        break;
                }

                continue;
            }

            ParseField(message, null);
        }

        CheckNumbers(message);
    }

    /// <summary>Keywords that start a declaration rather than a field of that type name (<c>message message = 1;</c> is a field).</summary>
    private bool IsDeclaration(string word)
    {
        var next = At(1);
        return word switch
        {
            "message" or "enum" or "oneof" => next.Kind == ProtoTokenKind.Identifier && At(2).Is("{"),
            "extend" => next.Kind == ProtoTokenKind.Identifier || next.Is("."),
            "option" => next.Kind == ProtoTokenKind.Identifier || next.Is("("),
            "extensions" => next.Kind == ProtoTokenKind.Integer,
            "reserved" => next.Kind is ProtoTokenKind.Integer or ProtoTokenKind.String || (next.Kind == ProtoTokenKind.Identifier && (At(2).Is(",") || At(2).Is(";"))),
            "map" => next.Is("<"),
            _ => false,
        };
    }

    private void ParseField(ProtoMessage message, string? oneof)
    {
        var first = Peek;
        var label = ProtoLabel.None;
        if (oneof is null && first.Kind == ProtoTokenKind.Identifier && first.Text is "optional" or "required" or "repeated")
        {
            Next();
            label = first.Text switch { "optional" => ProtoLabel.Optional, "required" => ProtoLabel.Required, _ => ProtoLabel.Repeated };
        }

        if (Peek.Is("group"))
        {
            // proto2 group: a nested message and a field of that type in one declaration.
            var groupLine = Next().Line;
            var groupName = ExpectIdent("a group name");
            var number = FieldNumber();
            SkipOptions();
            var group = new ProtoMessage(groupName, message.LocalName + "." + groupName, groupLine);
            Expect("{");
            ParseMessageBody(group);
            message.Messages.Add(group);
            message.Fields.Add(new ProtoField(groupName.ToLowerInvariant(), number, label, new ProtoFieldType(groupName), groupLine) { Oneof = oneof });
            return;
        }

        var typeToken = Peek;
        if (typeToken.Kind != ProtoTokenKind.Identifier && !typeToken.Is("."))
        {
            throw Error(typeToken.Line, $"unexpected {typeToken.Describe()} in message '{message.LocalName}'; expected a field, message, enum, oneof, reserved or option");
        }

        var type = TypeName();
        var name = ExpectIdent($"a field name after type '{type}'");
        var fieldNumber = FieldNumber();
        SkipOptions();
        Expect(";");
        message.Fields.Add(new ProtoField(name, fieldNumber, label, new ProtoFieldType(type), typeToken.Line) { Oneof = oneof });
    }

    private void ParseMap(ProtoMessage message, int line)
    {
        Expect("<");
        var key = TypeName();
        Expect(",");
        var value = TypeName();
        Expect(">");
        var name = ExpectIdent("a map field name");
        var number = FieldNumber();
        SkipOptions();
        Expect(";");
        message.Fields.Add(new ProtoField(name, number, ProtoLabel.Repeated, new ProtoFieldType(value), line) { MapKey = new ProtoFieldType(key) });
    }

    private void ParseOneof(ProtoMessage message)
    {
        var name = ExpectIdent("a oneof name");
        message.Oneofs.Add(name);
        Expect("{");
        while (!Peek.Is("}"))
        {
            if (Peek.Kind == ProtoTokenKind.End)
            {
                throw Error(Peek.Line, $"oneof '{name}' is never closed (missing '}}')");
            }

            if (Peek.Is("option"))
            {
                Next();
                SkipStatement();
            }
            else if (Peek.Is(";"))
            {
                Next();
            }
            else
            {
                ParseField(message, name);
            }
        }

        Next();
    }

    private ProtoEnum ParseEnum(string? parent, int line)
    {
        var name = ExpectIdent("an enum name");
        var e = new ProtoEnum(name, parent is null ? name : parent + "." + name, line);
        Expect("{");
        while (!Peek.Is("}"))
        {
            var t = Next();
            if (t.Kind == ProtoTokenKind.End)
            {
                throw Error(t.Line, $"enum '{e.LocalName}' is never closed (missing '}}')");
            }

            if (t.Is(";"))
            {
                continue;
            }

            if (t.Is("option"))
            {
                SkipStatement();
                continue;
            }

            if (t.Is("reserved") && (Peek.Kind is ProtoTokenKind.Integer or ProtoTokenKind.String || Peek.Is("-")))
            {
                ParseReserved(e.Reserved, int.MaxValue);
                continue;
            }

            if (t.Kind != ProtoTokenKind.Identifier)
            {
                throw Error(t.Line, $"unexpected {t.Describe()} in enum '{e.LocalName}'; expected a value such as NAME = 1;");
            }

            Expect("=");
            var number = SignedInteger();
            SkipOptions();
            Expect(";");
            if (e.Reserved.Covers(number) || e.Reserved.Names.Contains(t.Text))
            {
                throw Error(t.Line, $"enum value {t.Text} = {number} of '{e.LocalName}' uses a reserved number or name");
            }

            e.Values.Add((t.Text, number, t.Line));
        }

        Next();
        return e;
    }

    private void ParseReserved(ProtoReserved reserved, long max)
    {
        while (true)
        {
            var t = Next();
            if (t.Kind == ProtoTokenKind.String || t.Kind == ProtoTokenKind.Identifier)
            {
                reserved.Names.Add(t.Text);
            }
            else
            {
                _pos--;
                var from = SignedInteger();
                var to = from;
                if (Peek.Is("to"))
                {
                    Next();
                    if (Peek.Is("max"))
                    {
                        Next();
                        to = max;
                    }
                    else
                    {
                        to = SignedInteger();
                    }
                }

                if (to < from)
                {
                    throw Error(t.Line, $"reserved range {from} to {to} is empty");
                }

                reserved.Ranges.Add((from, to));
            }

            var sep = Next();
            if (sep.Is(";"))
            {
                return;
            }

            if (!sep.Is(","))
            {
                throw Error(sep.Line, $"unexpected {sep.Describe()} in a reserved statement; expected ',' or ';'");
            }
        }
    }

    private void CheckNumbers(ProtoMessage message)
    {
        var seen = new Dictionary<int, string>();
        foreach (var f in message.Fields)
        {
            if (f.Number is < 1 or > (int)MaxFieldNumber)
            {
                throw Error(f.Line, $"field '{message.LocalName}.{f.Name}' has number {f.Number}; field numbers run from 1 to {MaxFieldNumber}");
            }

            if (!seen.TryAdd(f.Number, f.Name))
            {
                throw Error(f.Line, $"fields '{seen[f.Number]}' and '{f.Name}' of '{message.LocalName}' both use number {f.Number}");
            }

            if (message.Reserved.Covers(f.Number) || message.Reserved.Names.Contains(f.Name))
            {
                throw Error(f.Line, $"field '{message.LocalName}.{f.Name}' = {f.Number} uses a number or name the message reserves");
            }
        }
    }

    private void Resolve(ProtoFile proto, ProtoMessage scope, ProtoFieldType type)
    {
        if (Scalars.Contains(type.Written))
        {
            return;
        }

        var name = type.Written;
        if (name.StartsWith('.'))
        {
            name = name[1..];
            if (_package is not null && name.StartsWith(_package + ".", StringComparison.Ordinal))
            {
                name = name[(_package.Length + 1)..];
            }

            SetResolved(proto, type, name);
            return;
        }

        if (_package is not null && name.StartsWith(_package + ".", StringComparison.Ordinal) &&
            SetResolved(proto, type, name[(_package.Length + 1)..]))
        {
            return;
        }

        // Innermost scope first: Outer.Inner.Name, Outer.Name, Name.
        var scopeName = scope.LocalName;
        while (true)
        {
            if (SetResolved(proto, type, scopeName.Length == 0 ? name : scopeName + "." + name))
            {
                return;
            }

            if (scopeName.Length == 0)
            {
                break;
            }

            var dot = scopeName.LastIndexOf('.');
            scopeName = dot < 0 ? string.Empty : scopeName[..dot];
        }

        type.Kind = ProtoTypeKind.Unresolved;
        type.Resolved = name;
    }

    private static bool SetResolved(ProtoFile proto, ProtoFieldType type, string localName)
    {
        if (proto.AllMessages.ContainsKey(localName))
        {
            type.Kind = ProtoTypeKind.Message;
            type.Resolved = localName;
            return true;
        }

        if (proto.AllEnums.ContainsKey(localName))
        {
            type.Kind = ProtoTypeKind.Enum;
            type.Resolved = localName;
            return true;
        }

        type.Kind = ProtoTypeKind.Unresolved;
        type.Resolved = localName;
        return false;
    }

    private int FieldNumber()
    {
        Expect("=");
        var t = ExpectKind(ProtoTokenKind.Integer, "a field number");
        return ParseInteger(t) is var n && n is >= 0 and <= int.MaxValue ? (int)n : throw Error(t.Line, $"field number {t.Text} is out of range");
    }

    private long SignedInteger()
    {
        var negative = false;
        if (Peek.Is("-"))
        {
            Next();
            negative = true;
        }

        var n = ParseInteger(ExpectKind(ProtoTokenKind.Integer, "a number"));
        return negative ? -n : n;
    }

    private long ParseInteger(ProtoToken t)
    {
        var text = t.Text;
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var n)
            : text.Length > 1 && text[0] == '0' ? TryOctal(text, out n) : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n);
        return ok ? n : throw Error(t.Line, $"'{text}' is not a valid integer");
    }

    private static bool TryOctal(string text, out long n)
    {
        n = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            n = (n * 8) + (c - '0');
        }

        return true;
    }

    private string TypeName()
    {
        var prefix = string.Empty;
        if (Peek.Is("."))
        {
            Next();
            prefix = ".";
        }

        return prefix + FullIdent();
    }

    private string FullIdent()
    {
        var name = ExpectIdent("a name");
        while (Peek.Is("."))
        {
            Next();
            name += "." + ExpectIdent("a name after '.'");
        }

        return name;
    }

    /// <summary>Skips <c>[ … ]</c> field options, if present.</summary>
    private void SkipOptions()
    {
        if (Peek.Is("["))
        {
            SkipBalanced("[", "]");
        }
    }

    /// <summary>Skips to the end of a statement (its ';'), stepping over aggregate values in braces.</summary>
    private void SkipStatement()
    {
        var start = Peek.Line;
        while (true)
        {
            var t = Peek;
            if (t.Kind == ProtoTokenKind.End)
            {
                throw Error(start, "a statement is never ended with ';'");
            }

            if (t.Is("{"))
            {
                SkipBalanced("{", "}");
                continue;
            }

            Next();
            if (t.Is(";"))
            {
                return;
            }
        }
    }

    /// <summary>Skips a service or extend declaration: everything up to its balanced closing brace.</summary>
    private void SkipDeclaration()
    {
        while (!Peek.Is("{"))
        {
            if (Next().Kind == ProtoTokenKind.End)
            {
                throw Error(Peek.Line, "expected '{'");
            }
        }

        SkipBalanced("{", "}");
    }

    private void SkipBalanced(string open, string close)
    {
        var start = Peek.Line;
        Expect(open);
        var depth = 1;
        while (depth > 0)
        {
            var t = Next();
            if (t.Kind == ProtoTokenKind.End)
            {
                throw Error(start, $"'{open}' is never closed");
            }

            if (t.Kind == ProtoTokenKind.Symbol)
            {
                depth += t.Text == open ? 1 : t.Text == close ? -1 : 0;
            }
        }
    }

    private ProtoToken Peek => _tokens[_pos];

    private ProtoToken At(int ahead) => _tokens[Math.Min(_pos + ahead, _tokens.Count - 1)];

    private ProtoToken Next() => _tokens[_pos < _tokens.Count - 1 ? _pos++ : _pos];

    private void Expect(string symbol)
    {
        var t = Next();
        if (!t.Is(symbol))
        {
            throw Error(t.Line, $"expected '{symbol}', found {t.Describe()}");
        }
    }

    private ProtoToken ExpectKind(ProtoTokenKind kind, string what)
    {
        var t = Next();
        return t.Kind == kind ? t : throw Error(t.Line, $"expected {what}, found {t.Describe()}");
    }

    private string ExpectIdent(string what) => ExpectKind(ProtoTokenKind.Identifier, what).Text;

    private SchemaParseException Error(int line, string problem) => new(_file, line, problem);
}
