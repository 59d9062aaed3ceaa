using System.Xml.Linq;

namespace Autopilot.Agents.Author.Edits;

/// <summary>Adds <c>&lt;PackageReference&gt;</c> items to an SDK-style project file, skipping packages already referenced.</summary>
internal static class CsprojEdit
{
    /// <summary>The project with every missing package of <paramref name="fragment"/> added; null when none is missing.</summary>
    /// <param name="project">The .csproj text.</param>
    /// <param name="fragment"><c>&lt;ItemGroup&gt;&lt;PackageReference Include=".." Version=".." /&gt;…&lt;/ItemGroup&gt;</c>.</param>
    /// <param name="what">The file, for messages.</param>
    public static string? Apply(string project, string fragment, string what)
    {
        var doc = XmlText.Parse(project, what);
        var root = doc.Root;
        if (root is null || root.Name.LocalName != "Project")
        {
            throw new EditException($"{what}: the root element is not <Project>; is this an MSBuild project?");
        }

        var ns = root.Name.Namespace;
        var present = new HashSet<string>(
            root.Descendants(ns + "PackageReference").Select(p => ((string?)p.Attribute("Include") ?? (string?)p.Attribute("Update") ?? string.Empty).Trim()),
            StringComparer.OrdinalIgnoreCase);
        var missing = XmlText.Parse(fragment, "the template's package fragment").Root!.Elements("PackageReference")
            .Where(p => !present.Contains(((string?)p.Attribute("Include") ?? string.Empty).Trim()))
            .ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var nl = TextLayout.NewLine(project);
        var unit = TextLayout.Unit(project);
        var group = root.Elements(ns + "ItemGroup").FirstOrDefault(g => g.Elements(ns + "PackageReference").Any());
        if (group is not null)
        {
            var at = XmlText.ClosingLineOffset(project, group, "ItemGroup", what);
            var indent = TextLayout.IndentAt(project, XmlText.StartOffset(project, group.Elements(ns + "PackageReference").First()));
            return XmlText.Checked(project.Insert(at, string.Concat(missing.Select(p => indent + p.ToString(SaveOptions.DisableFormatting) + nl))), what);
        }

        var close = XmlText.ClosingLineOffset(project, root, "Project", what);
        var section = unit + "<ItemGroup>" + nl + string.Concat(missing.Select(p => unit + unit + p.ToString(SaveOptions.DisableFormatting) + nl)) + unit + "</ItemGroup>" + nl;
        return XmlText.Checked(project.Insert(close, section), what);
    }
}
