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

    public int Id { get; private set; }

    /// <summary>Template tokens; a position becomes <see cref="LogTokenizer.Wildcard"/> once two lines differ there.</summary>
    public string[] Tokens { get; private set; }

    public PrefixTreeNode Leaf { get; private set; }

    public long Count { get; set; }

    /// <summary>Ids of templates merged into this one; they resolve to <see cref="Id"/> while it is kept.</summary>
    public List<int> Absorbed { get; } = [];

    /// <summary>Neighbours in the miner's recency list (most recently matched first).</summary>
    public LogTemplateCluster? Newer { get; set; }

    public LogTemplateCluster? Older { get; set; }

    public string Text => _text ??= string.Join(' ', Tokens);

    /// <summary>
    /// Makes a template released by a reset miner a new one with the tokens of <paramref name="line"/> (wildcards
    /// as <see cref="LogTokenizer.Wildcard"/>). Its token array is reused when the count matches, and its text too
    /// when the tokens are the same: a service evicted and seen again mostly brings back the templates it had.
    /// </summary>
    public void Reuse(int id, List<string> line, PrefixTreeNode leaf)
    {
        Id = id;
        Leaf = leaf;
        Count = 0;
        Absorbed.Clear();
        Newer = null;
        Older = null;
        if (Tokens.Length != line.Count)
        {
            Tokens = new string[line.Count];
            _text = null;
        }

        var same = _text is not null;
        for (var i = 0; i < line.Count; i++)
        {
            var token = line[i] == LogTokenizer.Wildcard ? LogTokenizer.Wildcard : line[i];
            same &= string.Equals(Tokens[i], token, StringComparison.Ordinal);
            Tokens[i] = token;
        }

        if (!same)
        {
            _text = null;
        }
    }

    public void Generalize(int position)
    {
        Tokens[position] = LogTokenizer.Wildcard;
        _text = null;
    }
}
