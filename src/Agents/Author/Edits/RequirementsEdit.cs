using System.Text.RegularExpressions;

namespace Autopilot.Agents.Author.Edits;

/// <summary>Adds requirements to a pip requirements file, skipping projects it already names (PEP 503 name normalisation).</summary>
internal static partial class RequirementsEdit
{
    /// <summary>The file with every missing requirement of <paramref name="fragment"/> appended; null when none is missing.</summary>
    public static string? Apply(string? requirements, string fragment, string what)
    {
        if (!Path.GetFileName(what).StartsWith("requirements", StringComparison.OrdinalIgnoreCase) || !what.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
        {
            throw new EditException($"{what}: dependency edits are made to requirements*.txt only; add these by hand: {string.Join(", ", Lines(fragment))}");
        }

        var text = requirements ?? string.Empty;
        var present = new HashSet<string>(Lines(text).Select(Name).Where(n => n.Length > 0), StringComparer.Ordinal);
        var missing = Lines(fragment).Where(l => !present.Contains(Name(l))).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var nl = TextLayout.NewLine(text);
        return TextLayout.EnsureFinalNewLine(text, nl) + string.Concat(missing.Select(m => m + nl));
    }

    /// <summary>The project name of a requirement line, normalised (<c>Foo_Bar[x]&gt;=1</c> → <c>foo-bar</c>); empty for options and comments.</summary>
    internal static string Name(string line)
    {
        var m = NamePattern().Match(line);
        return m.Success ? NormalizeRuns().Replace(m.Groups[1].Value, "-").ToLowerInvariant() : string.Empty;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('-'));

    [GeneratedRegex(@"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")]
    private static partial Regex NamePattern();

    [GeneratedRegex("[-_.]+")]
    private static partial Regex NormalizeRuns();
}
