using Autopilot.Agents.Scout.Scanning;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Autopilot.Agents.Scout.Facts;

/// <summary>docker-compose / compose files: services, their build contexts and the lines of their blocks.</summary>
internal static class ComposeParser
{
    public static List<ComposeService> Parse(string relPath, string text)
    {
        var result = new List<ComposeService>();
        YamlMappingNode? services;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            services = stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("services"), out var s) ? s as YamlMappingNode : null;
        }
        catch (YamlException)
        {
            return result;
        }

        if (services is null)
        {
            return result;
        }

        var dir = RepoPaths.Parent(relPath);
        var entries = services.Children.ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            var (key, value) = entries[i];
            if (key is not YamlScalarNode { Value: { } name })
            {
                continue;
            }

            string? context = null;
            string? image = null;
            if (value is YamlMappingNode body)
            {
                if (body.Children.TryGetValue(new YamlScalarNode("build"), out var build))
                {
                    var raw = build switch
                    {
                        YamlScalarNode scalar => scalar.Value,
                        YamlMappingNode map when map.Children.TryGetValue(new YamlScalarNode("context"), out var c) && c is YamlScalarNode cs => cs.Value,
                        YamlMappingNode => ".",
                        _ => null,
                    };
                    context = raw is null ? null : RepoPaths.Normalize(dir, raw);
                }

                if (body.Children.TryGetValue(new YamlScalarNode("image"), out var img) && img is YamlScalarNode imageScalar)
                {
                    image = imageScalar.Value;
                }
            }

            var first = (int)key.Start.Line;
            var last = i + 1 < entries.Count ? (int)entries[i + 1].Key.Start.Line - 1 : (int)services.End.Line;
            result.Add(new ComposeService(name, context, image, first, Math.Max(first, last)));
        }

        return result;
    }
}
