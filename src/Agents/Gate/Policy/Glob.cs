using System.Text;
using System.Text.RegularExpressions;

namespace Autopilot.Agents.Gate.Policy;

/// <summary>
/// A path glob over repository-relative paths with '/': <c>**</c> any number of directories, <c>*</c> any
/// characters within one name, <c>?</c> one character. A pattern without '/' matches a file name at any depth
/// (as in .gitignore); <c>dir/**</c> matches everything under dir.
/// </summary>
internal sealed class Glob
{
    private readonly Regex _regex;
    private readonly bool _nameOnly;

    public Glob(string pattern)
    {
        Pattern = pattern;
        var p = pattern.Trim().TrimStart('/');
        if (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        _nameOnly = !p.Contains('/', StringComparison.Ordinal) && !p.Contains("**", StringComparison.Ordinal);
        _regex = new Regex("^" + Translate(p) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public string Pattern { get; }

    public bool IsMatch(string path)
    {
        if (_nameOnly)
        {
            var slash = path.LastIndexOf('/');
            return _regex.IsMatch(slash < 0 ? path : path[(slash + 1)..]);
        }

        return _regex.IsMatch(path);
    }

    private static string Translate(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                i++;
                if (i + 1 < glob.Length && glob[i + 1] == '/')
                {
                    // "**/" matches zero or more directories.
                    i++;
                    sb.Append("(?:.*/)?");
                }
                else
                {
                    sb.Append(".*");
                }
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

        return sb.ToString();
    }
}
