using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Autopilot.Host.Configuration;

/// <summary>
/// Reads <c>autopilot.yaml</c> (or a JSON file: JSON is YAML, so <c>appsettings.json</c>-style files work too)
/// into a configuration tree whose nodes know their line.
/// </summary>
internal static class ConfigFileReader
{
    /// <summary>The file's root section, or null with a problem naming the file (and line) when it cannot be read.</summary>
    public static ConfigMap? Read(string path, List<ConfigProblem> problems)
    {
        var name = Path.GetFileName(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new ConfigProblem(string.Empty, $"cannot read the configuration file '{path}': {e.Message}", null));
            return null;
        }

        return Parse(text, name, problems);
    }

    /// <summary>Parses YAML or JSON text; <paramref name="name"/> prefixes node sources (<c>autopilot.yaml line 3</c>).</summary>
    public static ConfigMap? Parse(string text, string name, List<ConfigProblem> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message ?? e.Message;
            problems.Add(new ConfigProblem(string.Empty, $"{name} is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {inner}", null));
            return null;
        }
        catch (ArgumentException e)
        {
            // YamlDotNet reports a key written twice in one section this way.
            problems.Add(new ConfigProblem(string.Empty, $"{name}: {e.Message}", null));
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            return new ConfigMap(name);
        }

        if (stream.Documents.Count > 1)
        {
            problems.Add(new ConfigProblem(string.Empty, $"{name} holds {stream.Documents.Count} YAML documents; put everything in one", null));
            return null;
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return new ConfigMap(name);
        }

        if (Convert(root, name) is ConfigMap map)
        {
            return map;
        }

        problems.Add(new ConfigProblem(string.Empty, $"{name} must be a YAML mapping (key: value lines) at the top, line {root.Start.Line}", null));
        return null;
    }

    /// <summary>A node whose source is the line of its key (for section entries) or its own line (list items, the root).</summary>
    private static ConfigNode Convert(YamlNode node, string name, long? keyLine = null)
    {
        var source = $"{name} line {keyLine ?? node.Start.Line}";
        switch (node)
        {
            case YamlMappingNode mapping:
                var map = new ConfigMap(source);
                foreach (var (key, value) in mapping.Children)
                {
                    map.Entries.Add(new(key is YamlScalarNode k ? k.Value ?? string.Empty : key.ToString(), Convert(value, name, key.Start.Line)));
                }

                return map;
            case YamlSequenceNode sequence:
                var list = new ConfigList(source);
                foreach (var item in sequence.Children)
                {
                    list.Items.Add(Convert(item, name));
                }

                return list;
            case YamlScalarNode scalar:
                var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
                return new ConfigScalar(isNull ? null : scalar.Value ?? string.Empty, source);
            default:
                return new ConfigScalar(null, source);
        }
    }
}
