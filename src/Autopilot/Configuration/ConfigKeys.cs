using System.Text;

namespace Autopilot.Host.Configuration;

/// <summary>Key names: how file keys, variables and properties are compared, and "did you mean" suggestions.</summary>
internal static class ConfigKeys
{
    /// <summary>Lower case without '_' and '-': <c>maxRequestBytes</c>, <c>MAX_REQUEST_BYTES</c> and <c>max-request-bytes</c> are one key.</summary>
    public static string Normalize(string key)
    {
        var sb = new StringBuilder(key.Length);
        foreach (var c in key)
        {
            if (c is not ('_' or '-'))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    /// <summary>The property name as a key: <c>MaxRequestBytes</c> → <c>maxRequestBytes</c>.</summary>
    public static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>The key as an environment variable part: <c>maxRequestBytes</c> → <c>MAX_REQUEST_BYTES</c>.</summary>
    public static string ScreamingSnake(string key)
    {
        var sb = new StringBuilder(key.Length + 4);
        for (var i = 0; i < key.Length; i++)
        {
            if (i > 0 && char.IsUpper(key[i]) && !char.IsUpper(key[i - 1]))
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(key[i]));
        }

        return sb.ToString();
    }

    /// <summary><c>a.b</c>, or <c>b</c> at the root.</summary>
    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="key"/>, when close enough to be a typo.</summary>
    public static string? Suggest(string key, IEnumerable<string> candidates)
    {
        var wanted = Normalize(key);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var normalized = Normalize(candidate);
            var distance = Distance(wanted, normalized);

            // A key that contains the candidate or is contained in it (maxBytes ~ maxRequestBytes) is close too.
            if (distance > 0 && normalized.Length >= 4 && wanted.Length >= 4 && (normalized.Contains(wanted, StringComparison.Ordinal) || wanted.Contains(normalized, StringComparison.Ordinal)))
            {
                distance = Math.Min(distance, 2);
            }

            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best is not null && bestDistance <= Math.Max(2, wanted.Length / 3) ? best : null;
    }

    /// <summary>Levenshtein distance with adjacent transpositions (optimal string alignment).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
