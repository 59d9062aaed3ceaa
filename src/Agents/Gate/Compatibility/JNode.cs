using System.Text;

namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>
/// A JSON value with the line it starts on. Schema files are small and read once, so a plain tree is
/// enough; the line numbers are what lets a finding point at the right line of a pull request.
/// </summary>
internal sealed class JNode
{
    public JNode(JKind kind, int line)
    {
        Kind = kind;
        Line = line;
    }

    public JKind Kind { get; }

    /// <summary>1-based line of the value's first character.</summary>
    public int Line { get; }

    /// <summary>The string value, or the number as written.</summary>
    public string? Text { get; init; }

    public List<KeyValuePair<string, JNode>>? Properties { get; init; }

    public List<JNode>? Items { get; init; }

    public bool IsObject => Kind == JKind.Object;

    public bool IsString => Kind == JKind.String;

    /// <summary>The value of property <paramref name="name"/> (the first, when a key repeats); null when absent or not an object.</summary>
    public JNode? Get(string name)
    {
        if (Properties is null)
        {
            return null;
        }

        foreach (var (key, value) in Properties)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>String value of a property, or null when it is absent or not a string.</summary>
    public string? GetString(string name) => Get(name) is { Kind: JKind.String } s ? s.Text : null;

    /// <summary>
    /// Canonical JSON text: object keys sorted, no whitespace, numbers as written. Two schema fragments with the
    /// same canonical text accept the same documents, which is how unchanged parts are recognised.
    /// </summary>
    public string Canonical()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    private void Write(StringBuilder sb)
    {
        switch (Kind)
        {
            case JKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var (key, value) in Properties!.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    AppendString(sb, key);
                    sb.Append(':');
                    value.Write(sb);
                }

                sb.Append('}');
                break;
            case JKind.Array:
                sb.Append('[');
                for (var i = 0; i < Items!.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Items[i].Write(sb);
                }

                sb.Append(']');
                break;
            case JKind.String:
                AppendString(sb, Text!);
                break;
            case JKind.Number:
                sb.Append(Text);
                break;
            case JKind.True:
                sb.Append("true");
                break;
            case JKind.False:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }
}
