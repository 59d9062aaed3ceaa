using System.Text;

namespace Autopilot.Engines.Logs;

/// <summary>
/// Splits a log message on whitespace and masks the parts of each token that are generically variable
/// (numbers, hex, dates, IP addresses, ports, ids, URLs, paths). Nothing here knows a particular log source.
/// </summary>
internal static class LogTokenizer
{
    public const string Wildcard = "<*>";

    /// <summary>Fills <paramref name="tokens"/> (cleared first); a line longer than <paramref name="maxTokens"/> ends in one wildcard.</summary>
    public static void Tokenize(ReadOnlySpan<char> line, List<string> tokens, int maxTokens, StringBuilder scratch)
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

            tokens.Add(Mask(line[start..i], scratch));
        }
    }

    /// <summary>Returns the token with its variable parts replaced by <see cref="Wildcard"/>.</summary>
    internal static string Mask(ReadOnlySpan<char> token, StringBuilder scratch)
    {
        if (token.SequenceEqual(Wildcard))
        {
            return Wildcard;
        }

        if (token.Contains("://", StringComparison.Ordinal) || IsPath(token))
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
            return token.ToString();
        }

        // "10.0.0.1:80", "[1234]", "2017-06-09" carry no constant text: one wildcard keeps such tokens alike.
        return hasLetters ? scratch.ToString() : Wildcard;
    }

    /// <summary>True for tokens that the tree should not branch on: masked or containing digits.</summary>
    internal static bool LooksVariable(string token) => token.Contains(Wildcard, StringComparison.Ordinal) || token.AsSpan().IndexOfAnyInRange('0', '9') >= 0;

    private static bool IsDelimiter(char c) => !(char.IsLetterOrDigit(c) || c == '_' || c == '.');

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
