namespace Autopilot.Engines.Logs;

/// <summary>One template: its tokens, where it sits in the prefix tree, and its place in the recency list.</summary>
internal sealed class LogTemplateCluster
{
    private string? _text;

    public LogTemplateCluster(int id, string[] tokens, PrefixTreeNode leaf)
    {
        Id = id;
        Tokens = tokens;
        Leaf = leaf;
    }

    public int Id { get; }

    /// <summary>Template tokens; a position becomes <see cref="LogTokenizer.Wildcard"/> once two lines differ there.</summary>
    public string[] Tokens { get; }

    public PrefixTreeNode Leaf { get; }

    public long Count { get; set; }

    /// <summary>Ids of templates merged into this one; they resolve to <see cref="Id"/> while it is kept.</summary>
    public List<int> Absorbed { get; } = [];

    /// <summary>Neighbours in the miner's recency list (most recently matched first).</summary>
    public LogTemplateCluster? Newer { get; set; }

    public LogTemplateCluster? Older { get; set; }

    public string Text => _text ??= string.Join(' ', Tokens);

    public void Generalize(int position)
    {
        Tokens[position] = LogTokenizer.Wildcard;
        _text = null;
    }
}
