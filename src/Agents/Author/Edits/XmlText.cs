using System.Xml;
using System.Xml.Linq;

namespace Autopilot.Agents.Author.Edits;

/// <summary>
/// XML edits made as text insertions at positions found by parsing, so everything the edit does not touch (comments,
/// attribute quoting, the declaration, blank lines) stays byte for byte as the author wrote it.
/// </summary>
internal static class XmlText
{
    public static XDocument Parse(string text, string what)
    {
        try
        {
            return XDocument.Parse(text, LoadOptions.SetLineInfo | LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw new EditException($"{what} is not well-formed XML (line {e.LineNumber}, position {e.LinePosition}): {e.Message}");
        }
    }

    /// <summary>Character offset of an element's start tag (<c>&lt;</c>).</summary>
    public static int StartOffset(string text, XElement element)
    {
        var info = (IXmlLineInfo)element;
        var line = 1;
        var i = 0;
        while (line < info.LineNumber && i < text.Length)
        {
            if (text[i] == '\n')
            {
                line++;
            }

            i++;
        }

        // LinePosition points at the name, one past '<'.
        return i + info.LinePosition - 2;
    }

    /// <summary>Offset of the start of the line holding the closing tag of <paramref name="element"/> (elements of that name must not nest).</summary>
    public static int ClosingLineOffset(string text, XElement element, string localName, string what)
    {
        var start = StartOffset(text, element);
        var close = text.IndexOf("</" + Qualified(element, localName) + ">", start, StringComparison.Ordinal);
        if (close < 0)
        {
            throw new EditException($"{what}: no closing tag for <{localName}> found.");
        }

        var lineStart = TextLayout.LineStart(text, close);
        // Only whitespace before the closing tag on its line: insert whole lines above it. Otherwise insert right before it.
        return text.AsSpan(lineStart, close - lineStart).IsWhiteSpace() ? lineStart : close;
    }

    /// <summary>The tag name as written (with its prefix when the element uses one).</summary>
    private static string Qualified(XElement element, string localName)
    {
        var prefix = element.GetPrefixOfNamespace(element.Name.Namespace);
        return string.IsNullOrEmpty(prefix) ? localName : prefix + ":" + localName;
    }

    /// <summary>Re-parses the edited text: an edit must never leave a file malformed.</summary>
    public static string Checked(string text, string what)
    {
        Parse(text, what + " after the edit");
        return text;
    }
}
