using System.Buffers;

namespace Autopilot.Agents.Scout.Rules;

/// <summary>The patterns for one kind of file, with the combined trigger search and its comment syntax.</summary>
internal sealed class PatternSet
{
    public PatternSet(string name, LinePattern[] patterns, string[] commentPrefixes)
    {
        Name = name;
        Patterns = patterns;
        CommentPrefixes = commentPrefixes;
        Triggers = SearchValues.Create(patterns.Select(p => p.Trigger).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparison.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public LinePattern[] Patterns { get; }

    /// <summary>Every trigger, case-insensitive (each pattern re-checks its own case).</summary>
    public SearchValues<string> Triggers { get; }

    /// <summary>A line starting (after indentation) with one of these is a comment and skipped.</summary>
    public string[] CommentPrefixes { get; }

    public bool IsComment(ReadOnlySpan<char> line)
    {
        var trimmed = line.TrimStart();
        foreach (var prefix in CommentPrefixes)
        {
            if (trimmed.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
