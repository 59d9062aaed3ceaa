using System.Globalization;
using Autopilot.Agents.Gate.Compatibility;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Autopilot.Agents.Gate.Contracts;

/// <summary>Reads a data contract YAML file for comparison; a file that is not one is a <see cref="SchemaParseException"/>.</summary>
internal static class ContractReader
{
    public static ContractDocument Read(string text, string path)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
            {
                throw new SchemaParseException(path, 1, "a data contract must be a YAML mapping (urn or dataset, schema, quality, sla)");
            }

            root = map;
        }
        catch (YamlException e)
        {
            throw new SchemaParseException(path, (int)e.Start.Line, "not valid YAML: " + e.Message);
        }

        var doc = new ContractDocument(path);
        ReadIdentity(root, doc);
        if (Child(root, "schema") is { } schemaNode)
        {
            if (schemaNode is not YamlSequenceNode schema)
            {
                throw Error(path, schemaNode, "schema must be a list of { name, type, required }");
            }

            foreach (var item in schema.Children)
            {
                if (item is not YamlMappingNode f || Scalar(f, "name") is not { } name)
                {
                    throw Error(path, item, "each schema entry needs a name");
                }

                var requiredText = Scalar(f, "required");
                var required = false;
                if (requiredText is not null && !bool.TryParse(requiredText, out required))
                {
                    throw Error(path, item, $"schema field '{name}': required must be true or false, not '{requiredText}'");
                }

                if (!doc.Fields.TryAdd(name, new ContractField(name, Scalar(f, "type"), required, (int)item.Start.Line)))
                {
                    throw Error(path, item, $"schema field '{name}' is listed twice");
                }
            }
        }

        if (Child(root, "quality") is YamlSequenceNode quality)
        {
            foreach (var rule in quality.Children.OfType<YamlScalarNode>())
            {
                doc.Quality.Add((Normalize(rule.Value ?? string.Empty), (int)rule.Start.Line));
            }
        }

        if (Child(root, "sla") is YamlMappingNode sla)
        {
            if (Child(sla, "freshness") is YamlScalarNode fresh)
            {
                doc.Freshness = (Duration(path, fresh), (int)fresh.Start.Line);
            }

            if (Child(sla, "volume") is YamlMappingNode volume && Child(volume, "min") is YamlScalarNode min)
            {
                if (!double.TryParse(min.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var minimum) || minimum < 0)
                {
                    throw Error(path, min, $"sla.volume.min '{min.Value}' must be a number ≥ 0");
                }

                var per = Child(volume, "per") is YamlScalarNode perNode ? Duration(path, perNode) : TimeSpan.FromHours(1);
                doc.Volume = (minimum / per.TotalHours, $"{min.Value} per {(Child(volume, "per") as YamlScalarNode)?.Value ?? "1h"}", (int)min.Start.Line);
            }
        }

        if (Child(root, "slo") is YamlMappingNode slo && Child(slo, "objective") is YamlScalarNode objective)
        {
            if (!double.TryParse(objective.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var o) || o is <= 0 or >= 1)
            {
                throw Error(path, objective, $"slo.objective '{objective.Value}' must be a number between 0 and 1");
            }

            doc.Objective = (o, (int)objective.Start.Line);
        }

        return doc;
    }

    private static void ReadIdentity(YamlMappingNode root, ContractDocument doc)
    {
        if (Child(root, "urn") is YamlScalarNode urn && !string.IsNullOrWhiteSpace(urn.Value))
        {
            doc.Identity = urn.Value;
            doc.IdentityLine = (int)urn.Start.Line;
            var name = urn.Value[(urn.Value.LastIndexOf(':') + 1)..];
            AddNames(doc, Uri.UnescapeDataString(name));
        }
        else if (Child(root, "dataset") is YamlMappingNode dataset && Scalar(dataset, "name") is { } name)
        {
            var ns = Scalar(dataset, "namespace") ?? "default";
            doc.Identity = $"urn:autopilot:dataset:{ns}:{name}";
            doc.IdentityLine = (int)dataset.Start.Line;
            AddNames(doc, name);
        }
        else if (Child(root, "topic") is YamlScalarNode topic && !string.IsNullOrWhiteSpace(topic.Value))
        {
            doc.Identity = $"urn:autopilot:topic:kafka:{topic.Value}";
            doc.IdentityLine = (int)topic.Start.Line;
            AddNames(doc, topic.Value);
        }
        else
        {
            throw new SchemaParseException(doc.Path, (int)root.Start.Line, "a data contract needs urn, dataset: { namespace, name } or topic");
        }
    }

    private static void AddNames(ContractDocument doc, string name)
    {
        doc.Names.Add(name);
        var dot = name.LastIndexOf('.');
        if (dot >= 0 && dot < name.Length - 1)
        {
            doc.Names.Add(name[(dot + 1)..]);
        }
    }

    private static TimeSpan Duration(string path, YamlScalarNode node)
    {
        var text = (node.Value ?? string.Empty).Trim();
        if (text.Length >= 2 && char.IsAsciiLetter(text[^1]) &&
            double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            TimeSpan? value = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
            if (value is { } v)
            {
                return v;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var ts) && ts > TimeSpan.Zero
            ? ts
            : throw Error(path, node, $"'{text}' is not a positive duration; use 30s, 15m, 1h, 2d or hh:mm:ss");
    }

    private static string Normalize(string rule) => string.Join(' ', rule.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static YamlNode? Child(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Scalar(YamlMappingNode map, string key) => Child(map, key) is YamlScalarNode { Value: { Length: > 0 } v } ? v : null;

    private static SchemaParseException Error(string path, YamlNode node, string problem) => new(path, (int)node.Start.Line, problem);
}
