using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Autopilot.Agents.Scout.Facts;

/// <summary>Spring Boot configuration flattened to dotted keys (<c>spring.kafka.template.default-topic</c>) with their lines.</summary>
internal static class SpringProperties
{
    public static Dictionary<string, (string Value, int Line)>? Read(string relPath, string text)
    {
        var result = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        if (relPath.EndsWith(".properties", StringComparison.Ordinal))
        {
            var lineNumber = 0;
            foreach (var raw in text.AsSpan().EnumerateLines())
            {
                lineNumber++;
                var line = raw.Trim();
                if (line.IsEmpty || line[0] is '#' or '!')
                {
                    continue;
                }

                var sep = line.IndexOfAny('=', ':');
                if (sep > 0)
                {
                    result.TryAdd(line[..sep].Trim().ToString(), (line[(sep + 1)..].Trim().ToString(), lineNumber));
                }
            }

            return result;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            foreach (var document in stream.Documents)
            {
                Flatten(document.RootNode, string.Empty, result, 0);
            }
        }
        catch (YamlException)
        {
            return null;
        }

        return result;
    }

    private static void Flatten(YamlNode node, string prefix, Dictionary<string, (string Value, int Line)> result, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } k })
                    {
                        Flatten(value, prefix.Length == 0 ? k : prefix + "." + k, result, depth + 1);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                var values = sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToList();
                if (values.Count > 0)
                {
                    result.TryAdd(prefix, (string.Join(",", values), (int)sequence.Start.Line));
                }

                break;
            case YamlScalarNode scalar when prefix.Length > 0:
                result.TryAdd(prefix, (scalar.Value ?? string.Empty, (int)scalar.Start.Line));
                break;
        }
    }

    /// <summary>Resolves <c>app.topic</c> or <c>app.topic:default</c> against the properties; relaxed binding of dashes and case.</summary>
    public static string? Resolve(string placeholder, IReadOnlyDictionary<string, (string Value, int Line)> properties)
    {
        var colon = placeholder.IndexOf(':', StringComparison.Ordinal);
        var key = colon < 0 ? placeholder : placeholder[..colon];
        if (properties.TryGetValue(key, out var found) || properties.TryGetValue(Relaxed(key), out found))
        {
            return found.Value.Contains("${", StringComparison.Ordinal) ? null : found.Value;
        }

        foreach (var (k, v) in properties)
        {
            if (Relaxed(k) == Relaxed(key))
            {
                return v.Value;
            }
        }

        return colon < 0 ? null : placeholder[(colon + 1)..];
    }

    private static string Relaxed(string key) => key.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal).ToLowerInvariant();
}
