namespace Autopilot.Agents.Author.Edits;

/// <summary>Line ending and indentation conventions of an existing file, so edits look as if written by its author.</summary>
internal static class TextLayout
{
    public static string NewLine(string text) => text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    /// <summary>The leading whitespace of the line that contains <paramref name="offset"/>.</summary>
    public static string IndentAt(string text, int offset)
    {
        var start = LineStart(text, offset);
        var end = start;
        while (end < text.Length && text[end] is ' ' or '\t')
        {
            end++;
        }

        return text[start..end];
    }

    public static int LineStart(string text, int offset)
    {
        var i = Math.Min(offset, text.Length);
        while (i > 0 && text[i - 1] != '\n')
        {
            i--;
        }

        return i;
    }

    /// <summary>One indentation step: a tab when the file indents with tabs, else the smallest space indent seen (2 or 4), else 4 spaces.</summary>
    public static string Unit(string text)
    {
        var smallest = int.MaxValue;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('\t'))
            {
                return "\t";
            }

            var n = 0;
            while (n < line.Length && line[n] == ' ')
            {
                n++;
            }

            if (n > 0 && n < line.Length && n < smallest)
            {
                smallest = n;
            }
        }

        return new string(' ', smallest is 2 or 3 ? 2 : 4);
    }

    /// <summary>Prefixes every non-empty line of <paramref name="block"/> with <paramref name="indent"/> and ends each with <paramref name="newLine"/>.</summary>
    public static string Indent(string block, string indent, string newLine)
    {
        var lines = block.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var sb = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            if (line.Trim().Length > 0)
            {
                sb.Append(indent).Append(line);
            }

            sb.Append(newLine);
        }

        return sb.ToString();
    }

    /// <summary>The text with a final newline, so appended lines start on their own line.</summary>
    public static string EnsureFinalNewLine(string text, string newLine) => text.Length == 0 || text.EndsWith('\n') ? text : text + newLine;
}
