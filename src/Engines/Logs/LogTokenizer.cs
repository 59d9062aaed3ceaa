using System.Text;

namespace Autopilot.Engines.Logs;

/// <summary>
/// Splits a log message on whitespace and masks the parts of each token that are generically variable
/// (numbers, hex, dates, IP addresses, ports, ids, URLs, paths). Nothing here knows a particular log source.
/// </summary>
internal static class LogTokenizer
{
    public const string Wildcard = "<*>";

    private static readonly System.Collections.Frozen.FrozenSet<string> CalendarNames = System.Collections.Frozen.FrozenSet.ToFrozenSet(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        StringComparer.Ordinal);

    private static readonly System.Collections.Frozen.FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CalendarLookup =
        CalendarNames.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Fills <paramref name="tokens"/> (cleared first); a line longer than <paramref name="maxTokens"/> ends in one wildcard.</summary>
    public static void Tokenize(ReadOnlySpan<char> line, List<string> tokens, int maxTokens, StringBuilder scratch, LogTokenCache? cache = null)
    {
        tokens.Clear();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i == line.Length)
            {
                break;
            }

            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (tokens.Count == maxTokens - 1)
            {
                // The rest of an overlong line is one variable, so such lines still share templates.
                tokens.Add(Wildcard);
                return;
            }

            tokens.Add(Mask(line[start..i], scratch, cache));
        }
    }

    /// <summary>Returns the token with its variable parts replaced by <see cref="Wildcard"/>.</summary>
    internal static string Mask(ReadOnlySpan<char> token, StringBuilder scratch, LogTokenCache? cache = null)
    {
        if (token.SequenceEqual(Wildcard))
        {
            return Wildcard;
        }

        if (token.Contains("://", StringComparison.Ordinal) || IsPath(token) || IsCalendarName(token))
        {
            return Wildcard;
        }

        scratch.Clear();
        var masked = false;
        var hasLetters = false;
        var i = 0;
        while (i < token.Length)
        {
            if (IsDelimiter(token[i]))
            {
                scratch.Append(token[i]);
                i++;
                continue;
            }

            var start = i;
            while (i < token.Length && !IsDelimiter(token[i]))
            {
                i++;
            }

            var segment = token[start..i];
            if (IsVariableSegment(segment))
            {
                scratch.Append(Wildcard);
                masked = true;
            }
            else
            {
                scratch.Append(segment);
                hasLetters |= segment.ContainsAnyExcept('.', '_');
            }
        }

        if (!masked)
        {
            return cache is null ? token.ToString() : cache.Get(token);
        }

        // "10.0.0.1:80", "[1234]", "2017-06-09" carry no constant text: one wildcard keeps such tokens alike.
        if (!hasLetters)
        {
            return Wildcard;
        }

        if (cache is not null)
        {
            foreach (var chunk in scratch.GetChunks())
            {
                // A cleared builder holds its text in one chunk once it has grown to the longest token.
                if (chunk.Length == scratch.Length)
                {
                    return cache.Get(chunk.Span);
                }

                break;
            }
        }

        return scratch.ToString();
    }

    /// <summary>True for tokens that the tree should not branch on: masked or containing digits.</summary>
    internal static bool LooksVariable(string token) => token.Contains(Wildcard, StringComparison.Ordinal) || token.AsSpan().IndexOfAnyInRange('0', '9') >= 0;

    /// <summary>
    /// True when two different tokens may be the same template position: one is a masked form of the other
    /// ("rhost=&lt;*&gt;" and "rhost=example.org", or "&lt;*&gt;" and anything). Two different words, or two
    /// different masked shapes ("LOGIN(uid=&lt;*&gt;)" and "(uid=&lt;*&gt;)"), are not.
    /// </summary>
    internal static bool Compatible(string a, string b) => Matches(a, b) || Matches(b, a);

    /// <summary>Whether <paramref name="text"/> fits <paramref name="pattern"/>, each wildcard standing for at least one character.</summary>
    internal static bool Matches(string pattern, string text)
    {
        var p = pattern.AsSpan();
        var first = p.IndexOf(Wildcard, StringComparison.Ordinal);
        if (first < 0)
        {
            return false;
        }

        var t = text.AsSpan();
        if (!t.StartsWith(p[..first], StringComparison.Ordinal))
        {
            return false;
        }

        t = t[first..];
        p = p[(first + Wildcard.Length)..];
        while (true)
        {
            // Each pass consumes one wildcard of the pattern, so this ends after at most that many passes.
            var next = p.IndexOf(Wildcard, StringComparison.Ordinal);
            if (next < 0)
            {
                return t.Length > p.Length && t.EndsWith(p, StringComparison.Ordinal);
            }

            var literal = p[..next];
            if (t.Length < 1)
            {
                return false;
            }

            var found = literal.IsEmpty ? 0 : t[1..].IndexOf(literal, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            t = t[(1 + found + literal.Length)..];
            p = p[(next + Wildcard.Length)..];
        }
    }

    private static bool IsDelimiter(char c) => !(char.IsLetterOrDigit(c) || c == '_' || c == '.');

    /// <summary>Month and weekday abbreviations are parts of timestamps printed inside messages.</summary>
    private static bool IsCalendarName(ReadOnlySpan<char> token) =>
        token.Length == 3 && CalendarLookup.Contains(token);

    private static bool IsPath(ReadOnlySpan<char> token)
    {
        var slash = token.IndexOf('/');
        return slash >= 0 && slash <= 2 && token[(slash + 1)..].Contains('/') && token.Length > 3;
    }

    /// <summary>
    /// Numbers, versions, hex and ids start with a digit or carry several digits; a single digit inside a word
    /// ("ssh2", "eth0") is more often part of a name than a value.
    /// </summary>
    private static bool IsVariableSegment(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty)
        {
            return false;
        }

        if (char.IsAsciiDigit(segment[0]))
        {
            return true;
        }

        var digits = 0;
        foreach (var c in segment)
        {
            if (char.IsAsciiDigit(c) && ++digits >= 2)
            {
                return true;
            }
        }

        return false;
    }
}
