using System.Text;

namespace Autopilot.Ingest.Signals;

/// <summary>
/// Builds and parses asset URNs: <c>urn:autopilot:&lt;kind&gt;:&lt;namespace&gt;:&lt;name&gt;</c>.
/// Namespace and name are percent-encoded as RFC 8141 asks, so a ':' inside a part never splits it.
/// </summary>
public static class Urn
{
    public const string Prefix = "urn:autopilot:";

    /// <summary>The asset kinds DESIGN.md names.</summary>
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "service", "operation", "dataset", "job", "topic", "host", "container", "deployment",
    };

    /// <summary>Builds a URN; <paramref name="kind"/> must be one of <see cref="Kinds"/>.</summary>
    public static string Create(string kind, string @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(name);
        if (!Kinds.Contains(kind))
        {
            throw new ArgumentException($"'{kind}' is not a URN kind; expected one of {string.Join(", ", Kinds)}.", nameof(kind));
        }

        var sb = new StringBuilder(Prefix.Length + kind.Length + @namespace.Length + name.Length + 8);
        sb.Append(Prefix).Append(kind).Append(':');
        Encode(sb, @namespace.Length == 0 ? "default" : @namespace);
        sb.Append(':');
        Encode(sb, name);
        return sb.ToString();
    }

    /// <summary>Splits a URN into its decoded kind, namespace and name.</summary>
    public static bool TryParse(string? urn, out string kind, out string @namespace, out string name)
    {
        kind = @namespace = name = string.Empty;
        if (urn is null || !urn.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = urn[Prefix.Length..].Split(':');
        if (parts.Length != 3 || !Kinds.Contains(parts[0]) || parts[1].Length == 0 || parts[2].Length == 0)
        {
            return false;
        }

        try
        {
            kind = parts[0];
            @namespace = Uri.UnescapeDataString(parts[1]);
            name = Uri.UnescapeDataString(parts[2]);
            return true;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    private static void Encode(StringBuilder sb, string part)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            if (IsKept(c))
            {
                sb.Append(c);
                continue;
            }

            var len = char.IsSurrogatePair(part, i)
                ? Encoding.UTF8.GetBytes(part.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(part.AsSpan(i, 1), utf8);
            for (var b = 0; b < len; b++)
            {
                sb.Append('%').Append(HexUpper[utf8[b] >> 4]).Append(HexUpper[utf8[b] & 0xF]);
            }
        }
    }

    private const string HexUpper = "0123456789ABCDEF";

    // RFC 3986 unreserved characters plus the NSS characters that need no escaping, except ':'
    // (our separator), '%' (escape), and '?', '#' (they start r/q/f-components).
    private static bool IsKept(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '-' or '.' or '_' or '~' or '/' or '@' or '!' or '$' or '&' or '\'' or '(' or ')'
            or '*' or '+' or ',' or ';' or '=';
}
