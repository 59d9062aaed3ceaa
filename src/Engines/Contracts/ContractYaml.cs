using System.Globalization;
using Autopilot.Ingest.Signals;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Autopilot.Engines.Contracts;

/// <summary>Reads one contract file into a <see cref="DataContract"/>, collecting every error with its key path.</summary>
internal static class ContractYaml
{
    private static readonly HashSet<string> TopKeys = new(StringComparer.Ordinal) { "name", "urn", "dataset", "owner", "tier", "schema", "quality", "sla", "slo", "description", "version" };

    public static DataContract? Read(string file, string text, List<ContractError> errors)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
            {
                errors.Add(new ContractError(file, "(root)", "a contract must be a YAML mapping."));
                return null;
            }

            root = map;
        }
        catch (YamlException e)
        {
            errors.Add(new ContractError(file, "(yaml)", $"line {e.Start.Line}, column {e.Start.Column}: {e.Message}"));
            return null;
        }

        foreach (var key in root.Children.Keys)
        {
            var k = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (!TopKeys.Contains(k))
            {
                errors.Add(new ContractError(file, k, "unknown key; expected one of name, urn, dataset, owner, tier, schema, quality, sla, slo."));
            }
        }

        var name = Scalar(root, "name", file, "name", errors) ?? Path.GetFileNameWithoutExtension(file);
        var urn = ReadUrn(root, file, errors);
        var owner = Scalar(root, "owner", file, "owner", errors);
        var tier = Scalar(root, "tier", file, "tier", errors);
        var schema = ReadSchema(root, file, errors);
        var quality = ReadQuality(root, file, errors);
        var sla = ReadSla(root, file, errors);
        var objective = 0.99;
        if (Child(root, "slo") is { } slo)
        {
            if (slo is not YamlMappingNode sloMap)
            {
                errors.Add(new ContractError(file, "slo", "expected a mapping such as { objective: 0.99 }."));
            }
            else if (Scalar(sloMap, "objective", file, "slo.objective", errors) is { } o)
            {
                if (!double.TryParse(o, NumberStyles.Float, CultureInfo.InvariantCulture, out objective) || objective is <= 0 or >= 1)
                {
                    errors.Add(new ContractError(file, "slo.objective", $"'{o}' must be a number strictly between 0 and 1, such as 0.99."));
                }
            }
        }

        return urn is null ? null : new DataContract(name, file, urn, owner, tier, schema, quality, sla, objective);
    }

    private static string? ReadUrn(YamlMappingNode root, string file, List<ContractError> errors)
    {
        var urn = Scalar(root, "urn", file, "urn", errors);
        var dataset = Child(root, "dataset");
        if (urn is not null && dataset is not null)
        {
            errors.Add(new ContractError(file, "urn", "give either urn or dataset, not both."));
            return null;
        }

        if (urn is not null)
        {
            if (!Urn.TryParse(urn, out _, out _, out _))
            {
                errors.Add(new ContractError(file, "urn", $"'{urn}' is not a URN of the form urn:autopilot:<kind>:<namespace>:<name>."));
                return null;
            }

            return urn;
        }

        if (dataset is YamlMappingNode ds)
        {
            var ns = Scalar(ds, "namespace", file, "dataset.namespace", errors);
            var n = Scalar(ds, "name", file, "dataset.name", errors);
            if (ns is null || n is null)
            {
                errors.Add(new ContractError(file, ns is null ? "dataset.namespace" : "dataset.name", "is required."));
                return null;
            }

            return Urn.Create("dataset", ns, n);
        }

        errors.Add(new ContractError(file, dataset is null ? "urn" : "dataset", dataset is null
            ? "is required (or dataset: { namespace, name })."
            : "expected a mapping { namespace, name }."));
        return null;
    }

    private static List<ContractField> ReadSchema(YamlMappingNode root, string file, List<ContractError> errors)
    {
        var fields = new List<ContractField>();
        if (Child(root, "schema") is not { } node)
        {
            return fields;
        }

        if (node is not YamlSequenceNode seq)
        {
            errors.Add(new ContractError(file, "schema", "expected a list of { name, type, required }."));
            return fields;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var key = $"schema[{i}]";
            if (seq.Children[i] is not YamlMappingNode f)
            {
                errors.Add(new ContractError(file, key, "expected a mapping { name, type, required }."));
                continue;
            }

            var name = Scalar(f, "name", file, key + ".name", errors);
            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add(new ContractError(file, key + ".name", "is required."));
                continue;
            }

            if (!names.Add(name))
            {
                errors.Add(new ContractError(file, key + ".name", $"field '{name}' is listed twice."));
            }

            var type = Scalar(f, "type", file, key + ".type", errors);
            var required = false;
            if (Scalar(f, "required", file, key + ".required", errors) is { } r && !bool.TryParse(r, out required))
            {
                errors.Add(new ContractError(file, key + ".required", $"'{r}' must be true or false."));
            }

            fields.Add(new ContractField(name, type, required));
        }

        return fields;
    }

    private static List<ContractRule> ReadQuality(YamlMappingNode root, string file, List<ContractError> errors)
    {
        var rules = new List<ContractRule>();
        if (Child(root, "quality") is not { } node)
        {
            return rules;
        }

        if (node is not YamlSequenceNode seq)
        {
            errors.Add(new ContractError(file, "quality", "expected a list of rules such as 'rowCount > 0'."));
            return rules;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            var key = $"quality[{i}]";
            if (seq.Children[i] is not YamlScalarNode { Value: { } text })
            {
                errors.Add(new ContractError(file, key, "expected a rule such as 'rowCount > 0'."));
                continue;
            }

            if (ContractRule.TryParse(text, out var error) is { } rule)
            {
                rules.Add(rule);
            }
            else
            {
                errors.Add(new ContractError(file, key, error!));
            }
        }

        return rules;
    }

    private static ContractSla ReadSla(YamlMappingNode root, string file, List<ContractError> errors)
    {
        if (Child(root, "sla") is not { } node)
        {
            return new ContractSla(null, null, null);
        }

        if (node is not YamlMappingNode sla)
        {
            errors.Add(new ContractError(file, "sla", "expected a mapping { freshness, volume }."));
            return new ContractSla(null, null, null);
        }

        foreach (var key in sla.Children.Keys)
        {
            if ((key as YamlScalarNode)?.Value is not ("freshness" or "volume"))
            {
                errors.Add(new ContractError(file, "sla." + (key as YamlScalarNode)?.Value, "unknown key; expected freshness or volume."));
            }
        }

        var freshness = Duration(sla, "freshness", file, "sla.freshness", errors);
        long? min = null;
        TimeSpan? per = null;
        if (Child(sla, "volume") is { } v)
        {
            if (v is not YamlMappingNode volume)
            {
                errors.Add(new ContractError(file, "sla.volume", "expected a mapping { min, per }."));
            }
            else
            {
                if (Scalar(volume, "min", file, "sla.volume.min", errors) is { } m)
                {
                    if (long.TryParse(m, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0)
                    {
                        min = parsed;
                    }
                    else
                    {
                        errors.Add(new ContractError(file, "sla.volume.min", $"'{m}' must be a whole number ≥ 0."));
                    }
                }
                else
                {
                    errors.Add(new ContractError(file, "sla.volume.min", "is required when sla.volume is given."));
                }

                per = Duration(volume, "per", file, "sla.volume.per", errors) ?? TimeSpan.FromHours(1);
            }
        }

        return new ContractSla(freshness, min, min is null ? null : per);
    }

    private static TimeSpan? Duration(YamlMappingNode map, string name, string file, string key, List<ContractError> errors)
    {
        if (Scalar(map, name, file, key, errors) is not { } text)
        {
            return null;
        }

        if (TryParseDuration(text, out var value) && value > TimeSpan.Zero)
        {
            return value;
        }

        errors.Add(new ContractError(file, key, $"'{text}' is not a positive duration; use 30s, 15m, 1h, 2d or hh:mm:ss."));
        return null;
    }

    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        text = text.Trim();
        value = TimeSpan.Zero;
        if (text.Length >= 2 && char.IsAsciiLetter(text[^1]) &&
            double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 1e6)
        {
            TimeSpan? v = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            };
            value = v ?? TimeSpan.Zero;
            return v is not null;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Scalar(YamlMappingNode map, string name, string file, string key, List<ContractError> errors)
    {
        var node = Child(map, name);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode s)
        {
            return string.IsNullOrEmpty(s.Value) ? null : s.Value;
        }

        errors.Add(new ContractError(file, key, "expected a single value."));
        return null;
    }
}
