using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Autopilot.Agents.Scout.Facts;

/// <summary>
/// The datasets the repository's data contracts cover: Autopilot's contract format (<c>dataset: {namespace, name}</c>
/// or <c>urn</c>) and the Data Contract Specification (<c>servers.*.topic</c>, <c>models</c>).
/// </summary>
internal sealed class ContractIndex
{
    private static readonly HashSet<string> MessagingNamespaces = new(StringComparer.OrdinalIgnoreCase) { "kafka", "rabbitmq", "sqs", "nats", "pubsub", "topic", "topics" };

    /// <summary>Dataset names with their namespace (null when the contract gives none).</summary>
    private readonly List<(string? Namespace, string Name)> _datasets = [];
    private readonly HashSet<string> _urns = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Contract files read, repository-relative, sorted.</summary>
    public SortedSet<string> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>Folders holding contracts, repository-relative.</summary>
    public SortedSet<string> Directories { get; } = new(StringComparer.Ordinal);

    public void Add(string relPath, string text)
    {
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        }
        catch (YamlException)
        {
            return;
        }

        if (root is not YamlMappingNode map)
        {
            return;
        }

        Files.Add(relPath);
        Directories.Add(Scanning.RepoPaths.Parent(relPath));
        if (Scalar(map, "urn") is { } urn)
        {
            _urns.Add(urn);
        }

        switch (Get(map, "dataset"))
        {
            case YamlScalarNode { Value: { } s }:
                _datasets.Add((null, s));
                break;
            case YamlMappingNode dataset:
                if (Scalar(dataset, "urn") is { } u)
                {
                    _urns.Add(u);
                }

                if (Scalar(dataset, "name") is { } n)
                {
                    _datasets.Add((Scalar(dataset, "namespace"), n));
                }

                break;
        }

        if (Get(map, "servers") is YamlMappingNode servers)
        {
            foreach (var server in servers.Children.Values.OfType<YamlMappingNode>())
            {
                if (Scalar(server, "topic") is { } topic)
                {
                    _datasets.Add((Scalar(server, "type") ?? "kafka", topic));
                }

                if (Scalar(server, "table") is { } table)
                {
                    _datasets.Add((null, table));
                }
            }
        }

        if (Get(map, "models") is YamlMappingNode models)
        {
            foreach (var model in models.Children.Keys.OfType<YamlScalarNode>())
            {
                if (model.Value is { } m)
                {
                    _datasets.Add((null, m));
                }
            }
        }
    }

    /// <summary>
    /// Whether a contract covers the dataset: by URN, or by name (a topic only by a contract whose namespace is
    /// none or its system; a table also by its name without schema, but never by a messaging contract).
    /// </summary>
    public bool Covers(DatasetKind kind, string system, string name)
    {
        foreach (var (ns, n) in _datasets)
        {
            if (kind == DatasetKind.Topic)
            {
                if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase) && (ns is null || string.Equals(ns, system, StringComparison.OrdinalIgnoreCase) || MessagingNamespaces.Contains(ns)))
                {
                    return true;
                }
            }
            else if ((ns is null || !MessagingNamespaces.Contains(ns))
                && (string.Equals(n, name, StringComparison.OrdinalIgnoreCase) || string.Equals(Bare(n), Bare(name), StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        var bare = Bare(name);
        foreach (var urn in _urns)
        {
            var topicUrn = urn.StartsWith("urn:autopilot:topic:", StringComparison.OrdinalIgnoreCase);
            if (kind == DatasetKind.Topic ? topicUrn && urn.EndsWith(":" + name, StringComparison.OrdinalIgnoreCase)
                : !topicUrn && (urn.EndsWith(":" + name, StringComparison.OrdinalIgnoreCase) || urn.EndsWith(":" + bare, StringComparison.OrdinalIgnoreCase) || urn.EndsWith("." + bare, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The URN Autopilot's ingest gives the dataset (README, "Ingest"): topics by system and name, tables by <c>db.system/db.namespace</c>.</summary>
    public static string Urn(DatasetKind kind, string system, string? database, string name) => kind == DatasetKind.Topic
        ? $"urn:autopilot:topic:{system}:{name}"
        : $"urn:autopilot:dataset:{(database is null ? system : system + "/" + database)}:{name}";

    private static string Bare(string name) => name.Contains('.', StringComparison.Ordinal) ? name[(name.LastIndexOf('.') + 1)..] : name;

    private static YamlNode? Get(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Scalar(YamlMappingNode map, string key) => Get(map, key) is YamlScalarNode { Value: { Length: > 0 } v } ? v : null;
}
