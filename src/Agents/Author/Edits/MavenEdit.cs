using System.Xml.Linq;

namespace Autopilot.Agents.Author.Edits;

/// <summary>Adds dependencies to a Maven pom.xml (project-level <c>&lt;dependencies&gt;</c>), skipping those already declared.</summary>
internal static class MavenEdit
{
    /// <summary>The pom with every missing dependency of <paramref name="fragment"/> added; null when none is missing.</summary>
    /// <param name="pom">The pom.xml text.</param>
    /// <param name="fragment"><c>&lt;dependencies&gt;&lt;dependency&gt;…&lt;/dependency&gt;…&lt;/dependencies&gt;</c> without a namespace.</param>
    /// <param name="what">The file, for messages.</param>
    public static string? Apply(string pom, string fragment, string what)
    {
        var doc = XmlText.Parse(pom, what);
        var project = doc.Root;
        if (project is null || project.Name.LocalName != "project")
        {
            throw new EditException($"{what}: the root element is not <project>; is this a Maven pom?");
        }

        var ns = project.Name.Namespace;
        var wanted = XmlText.Parse(fragment, "the template's dependency fragment").Root!.Elements("dependency").ToList();
        var dependencies = project.Element(ns + "dependencies");
        var present = new HashSet<string>(StringComparer.Ordinal);
        if (dependencies is not null)
        {
            foreach (var d in dependencies.Elements(ns + "dependency"))
            {
                present.Add(Key((string?)d.Element(ns + "groupId"), (string?)d.Element(ns + "artifactId")));
            }
        }

        var missing = wanted.Where(d => !present.Contains(Key((string?)d.Element("groupId"), (string?)d.Element("artifactId")))).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var nl = TextLayout.NewLine(pom);
        var unit = TextLayout.Unit(pom);
        if (dependencies is not null)
        {
            var at = XmlText.ClosingLineOffset(pom, dependencies, "dependencies", what);
            var closingIndent = TextLayout.IndentAt(pom, XmlText.StartOffset(pom, dependencies));
            var first = dependencies.Elements(ns + "dependency").FirstOrDefault();
            var indent = first is null ? closingIndent + unit : TextLayout.IndentAt(pom, XmlText.StartOffset(pom, first));
            var block = string.Concat(missing.Select(d => Format(d, indent, unit, nl)));
            return XmlText.Checked(pom.Insert(at, block), what);
        }

        var projectClose = XmlText.ClosingLineOffset(pom, project, "project", what);
        var section = unit + "<dependencies>" + nl + string.Concat(missing.Select(d => Format(d, unit + unit, unit, nl))) + unit + "</dependencies>" + nl;
        return XmlText.Checked(pom.Insert(projectClose, section), what);
    }

    private static string Key(string? group, string? artifact) => (group?.Trim() ?? string.Empty) + ":" + (artifact?.Trim() ?? string.Empty);

    private static string Format(XElement dependency, string indent, string unit, string nl)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(indent).Append("<dependency>").Append(nl);
        foreach (var child in dependency.Elements())
        {
            sb.Append(indent).Append(unit).Append(child.ToString(SaveOptions.DisableFormatting)).Append(nl);
        }

        sb.Append(indent).Append("</dependency>").Append(nl);
        return sb.ToString();
    }
}
