namespace Autopilot.Engines.Logs;

/// <summary>A node of the miner's prefix tree; leaves hold the templates that share a token count and leading tokens.</summary>
internal sealed class PrefixTreeNode
{
    public PrefixTreeNode(string key, PrefixTreeNode? parent)
    {
        Key = key;
        Parent = parent;
    }

    /// <summary>The token (or wildcard) that leads here from the parent; the token count for the first level.</summary>
    public string Key { get; private set; }

    public PrefixTreeNode? Parent { get; private set; }

    public Dictionary<string, PrefixTreeNode> Children { get; } = new(StringComparer.Ordinal);

    public List<LogTemplateCluster> Clusters { get; } = [];

    /// <summary>Makes a node released by a reset miner a new one; its dictionary and list keep their capacity.</summary>
    public PrefixTreeNode Reuse(string key, PrefixTreeNode? parent)
    {
        Key = key;
        Parent = parent;
        return this;
    }
}
