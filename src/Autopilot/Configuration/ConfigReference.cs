using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Autopilot.Host.Hosting;

namespace Autopilot.Host.Configuration;

/// <summary>
/// Every key of the configuration file, found the way the binder finds them, with its default (from a fresh
/// <see cref="ServerOptions"/>), its environment variable and the summary of its property's XML documentation.
/// </summary>
internal static partial class ConfigReference
{
    public static List<ConfigKeyInfo> All()
    {
        var docs = LoadDocs();
        var result = new List<ConfigKeyInfo>();
        Walk(typeof(ServerOptions), new ServerOptions(), string.Empty, "AUTOPILOT_", docs, result);
        return result;
    }

    private static void Walk(Type type, object? instance, string path, string variable, Dictionary<string, string> docs, List<ConfigKeyInfo> result)
    {
        foreach (var property in OptionsModel.PropertiesOf(type))
        {
            var key = ConfigKeys.Join(path, property.Key);
            var env = variable + ConfigKeys.ScreamingSnake(property.Key);
            var value = instance is null ? null : property.Info.GetValue(instance);
            docs.TryGetValue($"P:{property.Info.DeclaringType!.FullName}.{property.Info.Name}", out var doc);
            switch (property.Kind)
            {
                case ConfigValueKind.Section:
                    Walk(property.ElementType, value, key, env + "__", docs, result);
                    break;
                case ConfigValueKind.List when OptionsModel.IsSection(property.ElementType):
                    result.Add(new ConfigKeyInfo(key, "list of sections", Format(value, property), env + "__<i>__…", doc));
                    Walk(property.ElementType, null, key + "[]", env + "__<i>__", docs, result);
                    break;
                default:
                    var expected = property.Kind switch
                    {
                        ConfigValueKind.List => "list of " + ConfigValues.Expected(property.ElementType, bytes: false),
                        ConfigValueKind.Map => "map of " + (OptionsModel.ListElement(property.ElementType) is { } inner ? "lists of " + ConfigValues.Expected(inner, false) : ConfigValues.Expected(property.ElementType, false)),
                        _ => ConfigValues.Expected(property.Info.PropertyType, property.Info.Name.EndsWith("Bytes", StringComparison.Ordinal)),
                    };
                    result.Add(new ConfigKeyInfo(key, expected, Format(value, property), property.Kind == ConfigValueKind.Map ? env + "__<key>" : property.Kind == ConfigValueKind.List ? env + "__<i>" : env, doc));
                    break;
            }
        }
    }

    private static string? Format(object? value, ConfigProperty property)
    {
        switch (value)
        {
            case null:
                return null;
            case string s when property.Secret:
                return s.Length == 0 ? s : ConfigPrinter.Mask;
            case IDictionary map:
                return map.Count == 0 ? "{}" : "(map)";
            case string:
                break;
            case IEnumerable list:
                var items = list.Cast<object?>().Select(i => i is null ? "null" : ConfigValues.Format(i, bytes: false)).ToList();
                return "[" + string.Join(", ", items) + "]";
        }

        return ConfigValues.Format(value, property.Info.Name.EndsWith("Bytes", StringComparison.Ordinal));
    }

    /// <summary>Property summaries from the XML documentation files next to the assemblies (present in builds of this repository).</summary>
    private static Dictionary<string, string> LoadDocs()
    {
        var docs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assembly in new[] { typeof(ServerOptions).Assembly, typeof(Autopilot.Ingest.Receivers.IngestOptions).Assembly, typeof(Autopilot.Engines.Hosting.EngineOptions).Assembly })
        {
            var file = Path.ChangeExtension(assembly.Location, ".xml");
            if (!File.Exists(file))
            {
                continue;
            }

            try
            {
                foreach (var member in XDocument.Load(file).Descendants("member"))
                {
                    if (member.Attribute("name")?.Value is { } name && name.StartsWith("P:", StringComparison.Ordinal) && member.Element("summary") is { } summary)
                    {
                        docs[name] = Text(summary);
                    }
                }
            }
            catch (System.Xml.XmlException)
            {
                // Documentation is a nicety; a damaged file just leaves descriptions out.
            }
        }

        return docs;
    }

    private static string Text(XElement summary)
    {
        var parts = summary.Nodes().Select(n => n switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" } e => e.Attribute("cref")?.Value.Split('.')[^1] ?? e.Attribute("langword")?.Value ?? e.Value,
            XElement e => e.Value,
            _ => string.Empty,
        });
        return Whitespace().Replace(string.Concat(parts), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
