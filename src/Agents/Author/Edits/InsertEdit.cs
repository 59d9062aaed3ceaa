using System.Text.RegularExpressions;

namespace Autopilot.Agents.Author.Edits;

/// <summary>
/// Inserts a block into a source file: after the statement that starts on the first line matching an anchor (the
/// statement runs on while parentheses are open, so <c>app = FastAPI(\n  title="x",\n)</c> is one statement), indented
/// like that line (one step deeper when it opens a block with <c>{</c> or <c>:</c>); or, without an anchor, at the top
/// after shebang, comment, <c>'use strict'</c> and <c>from __future__</c> lines. A marker already in the file means the
/// block is there: nothing changes.
/// </summary>
internal static class InsertEdit
{
    /// <summary>The new text; <see cref="InsertResult.Unchanged"/> when the marker is present, <see cref="InsertResult.AnchorMissing"/> when no line matches.</summary>
    /// <param name="text">The file.</param>
    /// <param name="anchor">Line to insert after; null = top of file.</param>
    /// <param name="marker">Text whose presence means the block is already there.</param>
    /// <param name="render">Renders the block, given the anchor's match (its groups can name a variable).</param>
    public static InsertResult Apply(string text, Regex? anchor, string marker, Func<Match?, string> render)
    {
        if (marker.Length > 0 && text.Contains(marker, StringComparison.Ordinal))
        {
            return InsertResult.Unchanged;
        }

        var nl = TextLayout.NewLine(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int insertAt;
        string indent;
        Match? match = null;
        if (anchor is null)
        {
            insertAt = 0;
            while (insertAt < lines.Length && IsPreamble(lines[insertAt]))
            {
                insertAt++;
            }

            indent = string.Empty;
        }
        else
        {
            var first = -1;
            for (var i = 0; i < lines.Length && first < 0; i++)
            {
                var m = anchor.Match(lines[i]);
                if (m.Success)
                {
                    first = i;
                    match = m;
                }
            }

            if (first < 0)
            {
                return InsertResult.AnchorMissing;
            }

            var last = EndOfStatement(lines, first);
            indent = TextLayout.IndentAt(lines[first], 0);
            var tail = lines[last].TrimEnd();
            if (tail.EndsWith('{') || tail.EndsWith(':'))
            {
                indent += TextLayout.Unit(text);
            }

            insertAt = last + 1;
        }

        var block = TextLayout.Indent(render(match), indent, "\n");
        var result = new List<string>(lines.Length + 8);
        result.AddRange(lines.Take(insertAt));
        result.AddRange(block.TrimEnd('\n').Split('\n'));
        result.AddRange(lines.Skip(insertAt));
        return new InsertResult(InsertStatus.Inserted, string.Join(nl, result));
    }

    private static bool IsPreamble(string line)
    {
        var t = line.Trim();
        return t.StartsWith("#!", StringComparison.Ordinal) || t.StartsWith('#') || t.StartsWith("//", StringComparison.Ordinal)
            || t is "'use strict';" or "\"use strict\";" or "'use strict'" or "\"use strict\""
            || t.StartsWith("from __future__", StringComparison.Ordinal);
    }

    /// <summary>Last line of the statement starting at <paramref name="first"/>: parentheses must be balanced at its end.</summary>
    private static int EndOfStatement(string[] lines, int first)
    {
        var depth = 0;
        for (var i = first; i < lines.Length; i++)
        {
            foreach (var c in lines[i])
            {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            }

            if (depth <= 0)
            {
                return i;
            }
        }

        return first;
    }
}
