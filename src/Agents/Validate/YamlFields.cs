using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Autopilot.Agents.Validate;

/// <summary>
/// Reads a YAML mapping key by key while tracking where it is, so every error names the file and the
/// key path. Unknown keys are errors: a misspelt expectation that silently never runs would let a
/// service pass that should not.
/// </summary>
internal sealed class YamlFields
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _allowed;

    private YamlFields(string file, string path, YamlMappingNode node, IEnumerable<string> allowed)
    {
        File = file;
        Path = path;
        _node = node;
        _allowed = new HashSet<string>(allowed, StringComparer.Ordinal);
        foreach (var key in node.Children.Keys)
        {
            var name = key is YamlScalarNode { Value: { } k } ? k : null;
            if (name is null || !_allowed.Contains(name))
            {
                throw Error(Join(path, name ?? key.ToString()), $"unknown key; expected one of {string.Join(", ", _allowed)}");
            }
        }
    }

    public string File { get; }

    public string Path { get; }

    /// <summary>Parses <paramref name="text"/> and opens its root mapping.</summary>
    public static YamlFields Root(string file, string text, IEnumerable<string> allowed)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ValidationConfigException($"{file}: line {e.Start.Line}, column {e.Start.Column}: not valid YAML: {Inner(e)}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ValidationConfigException($"{file}: expected a mapping of keys at the top level");
        }

        return new YamlFields(file, string.Empty, root, allowed);
    }

    public ValidationConfigException Error(string path, string problem) =>
        new($"{File}: {(path.Length == 0 ? "(top level)" : path)}: {problem}");

    public bool Has(string key) => Node(key) is not null;

    public string? String(string key, bool required = false)
    {
        switch (Node(key))
        {
            case null when required:
                throw Error(Join(Path, key), "required");
            case null:
                return null;
            case YamlScalarNode scalar:
                if (required && string.IsNullOrWhiteSpace(scalar.Value))
                {
                    throw Error(Join(Path, key), "must not be empty");
                }

                return scalar.Value;
            default:
                throw Error(Join(Path, key), "expected a single value (text or number)");
        }
    }

    public int? Int(string key, int min, int max)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw Error(Join(Path, key), $"'{text}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    /// <summary>true or false (YAML's spellings of them); null when absent.</summary>
    public bool? Bool(string key)
    {
        var text = String(key);
        return text switch
        {
            null => null,
            "true" or "True" or "TRUE" or "yes" or "on" => true,
            "false" or "False" or "FALSE" or "no" or "off" => false,
            _ => throw Error(Join(Path, key), $"'{text}' is not true or false"),
        };
    }

    /// <summary>A duration as <c>500ms</c>, <c>30s</c>, <c>2m</c> or a number of seconds.</summary>
    public TimeSpan? Duration(string key, TimeSpan max)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (!DurationText.TryParse(text, out var value) || value <= TimeSpan.Zero || value > max)
        {
            throw Error(Join(Path, key), $"'{text}' is not a duration above 0 and at most {DurationText.Format(max)} (e.g. 500ms, 30s, 2m)");
        }

        return value;
    }

    /// <summary>A list of single values; a single value alone is taken as a list of one.</summary>
    public IReadOnlyList<string> Strings(string key)
    {
        switch (Node(key))
        {
            case null:
                return [];
            case YamlScalarNode { Value: { } one }:
                return [one];
            case YamlSequenceNode seq:
                var list = new List<string>(seq.Children.Count);
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    if (seq.Children[i] is not YamlScalarNode { Value: { Length: > 0 } v })
                    {
                        throw Error($"{Join(Path, key)}[{i}]", "expected a non-empty single value");
                    }

                    list.Add(v);
                }

                return list;
            default:
                throw Error(Join(Path, key), "expected a list of values");
        }
    }

    /// <summary>A mapping of single values (headers, attribute values).</summary>
    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        switch (Node(key))
        {
            case null:
                return new Dictionary<string, string>(StringComparer.Ordinal);
            case YamlMappingNode map:
                var result = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Children)
                {
                    var name = (k as YamlScalarNode)?.Value;
                    if (string.IsNullOrEmpty(name) || v is not YamlScalarNode { Value: { } value })
                    {
                        throw Error($"{Join(Path, key)}.{name}", "expected 'name: value' with a single value");
                    }

                    result[name] = value;
                }

                return result;
            default:
                throw Error(Join(Path, key), "expected a mapping of 'name: value'");
        }
    }

    /// <summary>A nested mapping; null when the key is absent.</summary>
    public YamlFields? Object(string key, IEnumerable<string> allowed, bool required = false)
    {
        return Node(key) switch
        {
            null when required => throw Error(Join(Path, key), "required"),
            null => null,
            YamlMappingNode map => new YamlFields(File, Join(Path, key), map, allowed),
            _ => throw Error(Join(Path, key), "expected a mapping of keys"),
        };
    }

    /// <summary>A list of mappings.</summary>
    public IReadOnlyList<YamlFields> Objects(string key, IEnumerable<string> allowed)
    {
        switch (Node(key))
        {
            case null:
                return [];
            case YamlSequenceNode seq:
                var allowedList = allowed as IReadOnlyCollection<string> ?? allowed.ToArray();
                var list = new List<YamlFields>(seq.Children.Count);
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    var path = $"{Join(Path, key)}[{i}]";
                    if (seq.Children[i] is not YamlMappingNode map)
                    {
                        throw Error(path, "expected a mapping of keys");
                    }

                    list.Add(new YamlFields(File, path, map, allowedList));
                }

                return list;
            default:
                throw Error(Join(Path, key), "expected a list");
        }
    }

    public string PathOf(string key) => Join(Path, key);

    private YamlNode? Node(string key)
    {
        if (!_allowed.Contains(key))
        {
            throw new InvalidOperationException($"'{key}' is read but not declared as allowed at '{Path}'.");
        }

        if (!_node.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        // `key:` with nothing after it is YAML's null: treat it as absent.
        return node is YamlScalarNode { Value: null or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain } ? null : node;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static string Inner(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}
