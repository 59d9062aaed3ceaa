using System.Text;

namespace Autopilot.Agents.Gate.Compatibility.Protobuf;

/// <summary>Splits a .proto file into tokens (protobuf language spec: identifiers, numbers, strings, symbols; // and /* */ comments).</summary>
internal static class ProtoLexer
{
    public static List<ProtoToken> Tokenize(string text, string file)
    {
        var tokens = new List<ProtoToken>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var start = line;
                i += 2;
                while (i + 1 < text.Length && !(text[i] == '*' && text[i + 1] == '/'))
                {
                    line += text[i] == '\n' ? 1 : 0;
                    i++;
                }

                if (i + 1 >= text.Length)
                {
                    throw new SchemaParseException(file, start, "a /* comment is never closed");
                }

                i += 2;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new ProtoToken(ProtoTokenKind.Identifier, text[start..i], line));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i;
                var isFloat = false;
                if (c == '0' && i + 1 < text.Length && text[i + 1] is 'x' or 'X')
                {
                    i += 2;
                    while (i < text.Length && char.IsAsciiHexDigit(text[i]))
                    {
                        i++;
                    }
                }
                else
                {
                    while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or 'e' or 'E' || (text[i] is '+' or '-' && text[i - 1] is 'e' or 'E')))
                    {
                        isFloat |= text[i] is '.' or 'e' or 'E';
                        i++;
                    }
                }

                tokens.Add(new ProtoToken(isFloat ? ProtoTokenKind.Float : ProtoTokenKind.Integer, text[start..i], line));
            }
            else if (c is '"' or '\'')
            {
                tokens.Add(new ProtoToken(ProtoTokenKind.String, ReadString(text, ref i, ref line, file), line));
            }
            else
            {
                tokens.Add(new ProtoToken(ProtoTokenKind.Symbol, c.ToString(), line));
                i++;
            }
        }

        tokens.Add(new ProtoToken(ProtoTokenKind.End, string.Empty, line));
        return tokens;
    }

    private static string ReadString(string text, ref int i, ref int line, string file)
    {
        var quote = text[i];
        var start = line;
        var sb = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length || text[i] == '\n')
            {
                throw new SchemaParseException(file, start, "a string literal is never closed");
            }

            var c = text[i];
            if (c == quote)
            {
                i++;
                return sb.ToString();
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                sb.Append(text[i + 1]);
                i += 2;
                continue;
            }

            sb.Append(c);
            i++;
        }
    }
}
