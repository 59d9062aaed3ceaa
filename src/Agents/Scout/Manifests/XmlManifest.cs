using System.Xml;
using System.Xml.Linq;

namespace Autopilot.Agents.Scout.Manifests;

/// <summary>Loads pom.xml / .csproj with line numbers; no DTDs, no external resolution.</summary>
internal static class XmlManifest
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, IgnoreComments = true };

    /// <summary>The document, or null with the parser's message.</summary>
    public static XDocument? Load(string text, out string? error)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), Settings);
            error = null;
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            error = e.Message;
            return null;
        }
    }

    public static int Line(XObject node) => node is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : 1;

    /// <summary>The first child element with this local name (namespaces ignored: Maven's default namespace is optional).</summary>
    public static XElement? Child(XElement? parent, string name)
    {
        if (parent is null)
        {
            return null;
        }

        foreach (var e in parent.Elements())
        {
            if (e.Name.LocalName == name)
            {
                return e;
            }
        }

        return null;
    }

    public static IEnumerable<XElement> Children(XElement? parent, string name) =>
        parent is null ? [] : parent.Elements().Where(e => e.Name.LocalName == name);

    public static string? Value(XElement? parent, string name) => Child(parent, name)?.Value.Trim() is { Length: > 0 } v ? v : null;
}
