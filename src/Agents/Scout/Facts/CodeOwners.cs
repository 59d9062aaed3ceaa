using System.Text;
using System.Text.RegularExpressions;

namespace Autopilot.Agents.Scout.Facts;

/// <summary>GitHub/GitLab CODEOWNERS: the last matching pattern names a path's owners.</summary>
internal sealed class CodeOwners
{
    private readonly List<(Regex Pattern, string Owner)> _rules = [];

    public static CodeOwners Parse(string text)
    {
        var owners = new CodeOwners();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or '[')
            {
                continue;
            }

            var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2)
            {
                owners._rules.Add((ToRegex(parts[0]), parts[1]));
            }
        }

        return owners;
    }

    /// <summary>The first owner of the last rule matching <paramref name="relPath"/>, or null.</summary>
    public string? OwnerOf(string relPath)
    {
        string? owner = null;
        foreach (var (pattern, o) in _rules)
        {
            if (pattern.IsMatch(relPath))
            {
                owner = o;
            }
        }

        return owner;
    }

    private static Regex ToRegex(string pattern)
    {
        var anchored = pattern.StartsWith('/') || pattern.TrimEnd('/').Contains('/', StringComparison.Ordinal);
        var p = pattern.Trim('/');
        var sb = new StringBuilder(anchored ? "^" : "(^|/)");
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '*' && i + 1 < p.Length && p[i + 1] == '*')
            {
                sb.Append(".*");
                i++;
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }

        sb.Append(p.Length == 0 ? string.Empty : "(/|$)");
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
