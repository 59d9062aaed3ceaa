using System.Text;

namespace Autopilot.Engines.Logs;

/// <summary>
/// Online log template miner: a Drain-style prefix tree (token count, then leading tokens) whose leaves hold
/// templates; a line joins the most similar template of its leaf or founds a new one.
/// </summary>
/// <remarks>
/// A line is assigned when it arrives and keeps that id: later lines only turn template positions into
/// variables, they never move lines between templates, so counts per id stay meaningful. Memory is bounded by
/// <see cref="LogTemplateMinerOptions.MaxTemplates"/> (least recently matched template evicted) and by the caps
/// on line length and tokens. Not thread-safe: use one miner per shard.
/// </remarks>
public sealed class LogTemplateMiner
{
    private const int SnapshotMagic = 0x4D545041; // "APTM" little-endian
    private const byte SnapshotVersion = 1;

    private readonly LogTemplateMinerOptions _options;
    private readonly Dictionary<int, PrefixTreeNode> _byTokenCount = [];
    private readonly Dictionary<int, LogTemplateCluster> _byId = [];
    private readonly Dictionary<int, int> _aliases = [];
    private readonly Dictionary<int, int> _siblingsByPosition = [];
    private readonly List<string> _tokens = [];
    private readonly StringBuilder _scratch = new();
    private readonly LogTokenCache? _tokenCache;

    // Nodes and templates of the state a Reset forgot, reused before anything is allocated: a shard with more
    // services than its cap resets a service's miner on nearly every line of an evicted service, and building the
    // tree and templates anew each time was most of what the log engine allocated. Never more than the miner held.
    private readonly Stack<PrefixTreeNode> _freeNodes = new();
    private readonly Stack<LogTemplateCluster> _freeClusters = new();
    private LogTemplateCluster? _newest;
    private LogTemplateCluster? _oldest;
    private int _nextId = 1;

    /// <summary>Creates an empty miner; the options are validated and copied.</summary>
    public LogTemplateMiner(LogTemplateMinerOptions? options = null)
        : this(options, tokenCache: null)
    {
    }

    /// <summary>Creates an empty miner that takes its token strings from <paramref name="tokenCache"/> (shared by the miners of one shard).</summary>
    internal LogTemplateMiner(LogTemplateMinerOptions? options, LogTokenCache? tokenCache)
    {
        _tokenCache = tokenCache;
        options ??= new LogTemplateMinerOptions();
        options.Validate();
        _options = new LogTemplateMinerOptions
        {
            MaxTemplates = options.MaxTemplates,
            MaxTokensPerLine = options.MaxTokensPerLine,
            MaxLineLength = options.MaxLineLength,
            PrefixDepth = options.PrefixDepth,
            MaxChildrenPerNode = options.MaxChildrenPerNode,
            SimilarityThreshold = options.SimilarityThreshold,
            MinDistinctWordsForVariable = options.MinDistinctWordsForVariable,
        };
    }

    /// <summary>Templates currently kept.</summary>
    public int TemplateCount => _byId.Count;

    /// <summary>Templates evicted so far to stay within <see cref="LogTemplateMinerOptions.MaxTemplates"/>.</summary>
    public long EvictedCount { get; private set; }

    /// <summary>Assigns one log message (its body, without timestamp or level header) to a template.</summary>
    public LogTemplateMatch Process(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var line = message.AsSpan();
        if (line.Length > _options.MaxLineLength)
        {
            line = line[.._options.MaxLineLength];
        }

        LogTokenizer.Tokenize(line, _tokens, _options.MaxTokensPerLine, _scratch, _tokenCache);
        var leaf = FindOrAddLeaf(_tokens);
        var cluster = BestMatch(leaf, _tokens);
        if (cluster is not null)
        {
            var tokens = cluster.Tokens;
            var generalized = false;
            for (var i = 0; i < tokens.Length; i++)
            {
                if (!ReferenceEquals(tokens[i], LogTokenizer.Wildcard) && !string.Equals(tokens[i], _tokens[i], StringComparison.Ordinal))
                {
                    cluster.Generalize(i);
                    generalized = true;
                }
            }

            cluster.Count++;
            Touch(cluster);
            if (generalized)
            {
                cluster = AbsorbSubsumed(cluster);
            }

            return new LogTemplateMatch(cluster.Id, cluster.Text, IsNew: false);
        }

        cluster = AddLine(_nextId++, leaf);
        var survivor = AbsorbSubsumed(MergeSiblings(cluster));
        return new LogTemplateMatch(survivor.Id, survivor.Text, IsNew: ReferenceEquals(survivor, cluster));
    }

    /// <summary>Forgets every template and returns to the state of a new miner, keeping the options and the token cache.</summary>
    internal void Reset()
    {
        foreach (var root in _byTokenCount.Values)
        {
            Release(root);
        }

        foreach (var cluster in _byId.Values)
        {
            _freeClusters.Push(cluster);
        }

        _byTokenCount.Clear();
        _byId.Clear();
        _aliases.Clear();
        _siblingsByPosition.Clear();
        _tokens.Clear();
        _newest = null;
        _oldest = null;
        _nextId = 1;
        EvictedCount = 0;
    }

    /// <summary>
    /// The id that now stands for <paramref name="templateId"/>: itself, or the template it was merged into
    /// once its distinguishing word proved to be a variable.
    /// </summary>
    public int ResolveId(int templateId) => _aliases.TryGetValue(templateId, out var survivor) ? survivor : templateId;

    /// <summary>The current text of a kept template.</summary>
    public bool TryGetTemplate(int templateId, out string template)
    {
        if (_byId.TryGetValue(templateId, out var cluster))
        {
            template = cluster.Text;
            return true;
        }

        template = string.Empty;
        return false;
    }

    /// <summary>
    /// The miner's state as bytes, to persist and later <see cref="Restore(byte[], LogTemplateMinerOptions?)"/>: format version 1, little-endian:
    /// int32 magic "APTM", byte version, int32 next id, int32 template count, then per template from least to most
    /// recently matched: int32 id, int64 line count, byte prefix-path length and its keys, int32 token count and
    /// the tokens, int32 merged-id count and the ids. Strings are length-prefixed UTF-8 (BinaryWriter).
    /// </summary>
    public byte[] Snapshot()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(SnapshotMagic);
            writer.Write(SnapshotVersion);
            writer.Write(_nextId);
            writer.Write(_byId.Count);
            var path = new List<string>();
            for (var cluster = _oldest; cluster is not null; cluster = cluster.Newer)
            {
                writer.Write(cluster.Id);
                writer.Write(cluster.Count);
                path.Clear();
                for (var node = cluster.Leaf; node.Parent is not null; node = node.Parent)
                {
                    path.Add(node.Key);
                }

                writer.Write((byte)path.Count);
                for (var i = path.Count - 1; i >= 0; i--)
                {
                    writer.Write(path[i]);
                }

                writer.Write(cluster.Tokens.Length);
                foreach (var token in cluster.Tokens)
                {
                    writer.Write(token);
                }

                writer.Write(cluster.Absorbed.Count);
                foreach (var id in cluster.Absorbed)
                {
                    writer.Write(id);
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>A miner with the state of <paramref name="snapshot"/>: it assigns the same ids as the miner that took it.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a snapshot of this format or are cut short.</exception>
    public static LogTemplateMiner Restore(byte[] snapshot, LogTemplateMinerOptions? options = null) => Restore(snapshot, options, tokenCache: null);

    internal static LogTemplateMiner Restore(byte[] snapshot, LogTemplateMinerOptions? options, LogTokenCache? tokenCache)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var miner = new LogTemplateMiner(options, tokenCache);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(snapshot, writable: false), Encoding.UTF8);
            if (reader.ReadInt32() != SnapshotMagic || reader.ReadByte() != SnapshotVersion)
            {
                throw new InvalidDataException("Not a log template miner snapshot of version 1.");
            }

            miner._nextId = reader.ReadInt32();
            var count = reader.ReadInt32();
            if (count < 0 || miner._nextId < 1)
            {
                throw new InvalidDataException("Corrupt log template miner snapshot header.");
            }

            for (var c = 0; c < count; c++)
            {
                var id = reader.ReadInt32();
                var lines = reader.ReadInt64();
                var pathLength = reader.ReadByte();
                var path = new string[pathLength];
                for (var i = 0; i < path.Length; i++)
                {
                    path[i] = reader.ReadString();
                }

                var tokenCount = reader.ReadInt32();
                if (tokenCount < 0 || tokenCount > miner._options.MaxTokensPerLine || id <= 0 || id >= miner._nextId)
                {
                    throw new InvalidDataException($"Corrupt template {c} in the log template miner snapshot.");
                }

                var tokens = new string[tokenCount];
                for (var i = 0; i < tokens.Length; i++)
                {
                    tokens[i] = reader.ReadString();
                }

                var cluster = miner.Add(id, tokens, miner.LeafAt(tokenCount, path), lines);
                var absorbed = reader.ReadInt32();
                for (var i = 0; i < absorbed; i++)
                {
                    var alias = reader.ReadInt32();
                    cluster.Absorbed.Add(alias);
                    miner._aliases[alias] = id;
                }
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The log template miner snapshot is cut short.", e);
        }

        return miner;
    }

    private void Release(PrefixTreeNode node)
    {
        foreach (var child in node.Children.Values)
        {
            Release(child);
        }

        node.Children.Clear();
        node.Clusters.Clear();
        _freeNodes.Push(node);
    }

    private PrefixTreeNode NewNode(string key, PrefixTreeNode? parent) =>
        _freeNodes.TryPop(out var node) ? node.Reuse(key, parent) : new PrefixTreeNode(key, parent);

    private PrefixTreeNode LeafAt(int tokenCount, string[] path)
    {
        if (!_byTokenCount.TryGetValue(tokenCount, out var node))
        {
            node = NewNode(string.Empty, parent: null);
            _byTokenCount.Add(tokenCount, node);
        }

        foreach (var key in path)
        {
            if (!node.Children.TryGetValue(key, out var child))
            {
                child = NewNode(key, node);
                node.Children.Add(key, child);
            }

            node = child;
        }

        return node;
    }

    private PrefixTreeNode FindOrAddLeaf(List<string> tokens)
    {
        if (!_byTokenCount.TryGetValue(tokens.Count, out var node))
        {
            node = NewNode(string.Empty, parent: null);
            _byTokenCount.Add(tokens.Count, node);
        }

        var depth = Math.Min(_options.PrefixDepth, tokens.Count);
        for (var d = 0; d < depth; d++)
        {
            var key = LogTokenizer.LooksVariable(tokens[d]) ? LogTokenizer.Wildcard : tokens[d];
            if (!node.Children.TryGetValue(key, out var child))
            {
                if (node.Children.Count >= _options.MaxChildrenPerNode)
                {
                    key = LogTokenizer.Wildcard;
                    if (node.Children.TryGetValue(key, out child))
                    {
                        node = child;
                        continue;
                    }
                }

                child = NewNode(key, node);
                node.Children.Add(key, child);
            }

            node = child;
        }

        return node;
    }

    private LogTemplateCluster? BestMatch(PrefixTreeNode leaf, List<string> tokens)
    {
        LogTemplateCluster? best = null;
        var bestSimilarity = -1.0;
        var bestVariables = -1;
        foreach (var cluster in leaf.Clusters)
        {
            var template = cluster.Tokens;
            var same = 0;
            var variables = 0;
            var compatible = true;
            for (var i = 0; i < template.Length; i++)
            {
                if (ReferenceEquals(template[i], LogTokenizer.Wildcard))
                {
                    // A value the masker already recognised agrees with the template; a concrete token under a
                    // learned wildcard does not count (Drain), so that generic templates do not absorb everything.
                    variables++;
                    if (ReferenceEquals(tokens[i], LogTokenizer.Wildcard))
                    {
                        same++;
                    }
                }
                else if (string.Equals(template[i], tokens[i], StringComparison.Ordinal))
                {
                    same++;
                }
                else if (!LogTokenizer.Compatible(template[i], tokens[i]))
                {
                    // Two different words: a variable only once enough distinct words show up there (see MergeSiblings).
                    compatible = false;
                    break;
                }
            }

            if (!compatible)
            {
                continue;
            }

            var similarity = template.Length == 0 ? 1.0 : (double)same / template.Length;
            if (similarity > bestSimilarity || (similarity == bestSimilarity && variables > bestVariables))
            {
                best = cluster;
                bestSimilarity = similarity;
                bestVariables = variables;
            }
        }

        return best is not null && (bestSimilarity > _options.SimilarityThreshold || best.Tokens.Length == 0) ? best : null;
    }

    /// <summary>A new template of the current line's tokens, reusing a released one when there is one.</summary>
    private LogTemplateCluster AddLine(int id, PrefixTreeNode leaf)
    {
        if (!_freeClusters.TryPop(out var cluster))
        {
            return Add(id, [.. _tokens], leaf, count: 1);
        }

        if (_byId.Count >= _options.MaxTemplates && _oldest is not null)
        {
            Evict(_oldest);
        }

        cluster.Reuse(id, _tokens, leaf);
        cluster.Count = 1;
        Link(cluster, leaf);
        return cluster;
    }

    private LogTemplateCluster Add(int id, string[] tokens, PrefixTreeNode leaf, long count)
    {
        if (_byId.Count >= _options.MaxTemplates && _oldest is not null)
        {
            Evict(_oldest);
        }

        for (var i = 0; i < tokens.Length; i++)
        {
            // Wildcards are compared by reference on the hot path.
            if (tokens[i] == LogTokenizer.Wildcard)
            {
                tokens[i] = LogTokenizer.Wildcard;
            }
        }

        var cluster = new LogTemplateCluster(id, tokens, leaf) { Count = count };
        Link(cluster, leaf);
        return cluster;
    }

    private void Link(LogTemplateCluster cluster, PrefixTreeNode leaf)
    {
        leaf.Clusters.Add(cluster);
        _byId.Add(cluster.Id, cluster);
        LinkAsNewest(cluster);
    }

    /// <summary>
    /// Brain-style variable detection, online: templates of one leaf that differ in a single word position are
    /// kept apart ("startup"/"shutdown") until <see cref="LogTemplateMinerOptions.MinDistinctWordsForVariable"/>
    /// distinct words have been seen there; then the position is a variable ("root"/"admin"/"test") and they merge
    /// into the oldest, whose id the others resolve to.
    /// </summary>
    private LogTemplateCluster MergeSiblings(LogTemplateCluster added)
    {
        var leaf = added.Leaf;
        _siblingsByPosition.Clear();
        var bestPosition = -1;
        foreach (var other in leaf.Clusters)
        {
            if (!ReferenceEquals(other, added) && SingleWordDifference(added.Tokens, other.Tokens) is var p and >= 0)
            {
                var count = _siblingsByPosition[p] = _siblingsByPosition.GetValueOrDefault(p) + 1;
                if (count + 1 >= _options.MinDistinctWordsForVariable)
                {
                    bestPosition = p;
                    break;
                }
            }
        }

        if (bestPosition < 0)
        {
            return added;
        }

        LogTemplateCluster? survivor = null;
        foreach (var other in leaf.Clusters)
        {
            if (ReferenceEquals(other, added) || SingleWordDifference(added.Tokens, other.Tokens) == bestPosition)
            {
                if (survivor is null || other.Id < survivor.Id)
                {
                    survivor = other;
                }
            }
        }

        for (var i = leaf.Clusters.Count - 1; i >= 0; i--)
        {
            var other = leaf.Clusters[i];
            if (!ReferenceEquals(other, survivor) && (ReferenceEquals(other, added) || SingleWordDifference(added.Tokens, other.Tokens) == bestPosition))
            {
                Absorb(survivor!, other);
            }
        }

        survivor!.Generalize(bestPosition);
        Touch(survivor);
        return survivor;
    }

    /// <summary>
    /// Merges the templates of the leaf that are special cases of <paramref name="general"/> (it holds a variable
    /// wherever they differ) and similar enough to it; runs only when a template is created or generalized.
    /// </summary>
    private LogTemplateCluster AbsorbSubsumed(LogTemplateCluster general)
    {
        var leaf = general.Leaf;
        LogTemplateCluster survivor = general;
        var any = false;
        foreach (var other in leaf.Clusters)
        {
            if (!ReferenceEquals(other, general) && Subsumes(general.Tokens, other.Tokens))
            {
                any = true;
                if (other.Id < survivor.Id)
                {
                    survivor = other;
                }
            }
        }

        if (!any)
        {
            return general;
        }

        var pattern = general.Tokens;
        for (var i = leaf.Clusters.Count - 1; i >= 0; i--)
        {
            var other = leaf.Clusters[i];
            if (!ReferenceEquals(other, survivor) && (ReferenceEquals(other, general) || Subsumes(pattern, other.Tokens)))
            {
                Absorb(survivor, other);
            }
        }

        Touch(survivor);
        return survivor;
    }

    private bool Subsumes(string[] general, string[] specific)
    {
        var same = 0;
        for (var i = 0; i < general.Length; i++)
        {
            if (string.Equals(general[i], specific[i], StringComparison.Ordinal))
            {
                same++;
            }
            else if (!LogTokenizer.Matches(general[i], specific[i]))
            {
                return false;
            }
        }

        return general.Length > 0 && (double)same / general.Length > _options.SimilarityThreshold;
    }

    /// <summary>The one position where both templates hold different words, or -1.</summary>
    private static int SingleWordDifference(string[] a, string[] b)
    {
        var position = -1;
        for (var i = 0; i < a.Length; i++)
        {
            if (string.Equals(a[i], b[i], StringComparison.Ordinal) || LogTokenizer.Compatible(a[i], b[i]))
            {
                continue;
            }

            if (position >= 0)
            {
                return -1;
            }

            position = i;
        }

        return position;
    }

    private void Absorb(LogTemplateCluster survivor, LogTemplateCluster absorbed)
    {
        for (var i = 0; i < survivor.Tokens.Length; i++)
        {
            if (!ReferenceEquals(survivor.Tokens[i], LogTokenizer.Wildcard) && !string.Equals(survivor.Tokens[i], absorbed.Tokens[i], StringComparison.Ordinal))
            {
                survivor.Generalize(i);
            }
        }

        survivor.Count += absorbed.Count;
        absorbed.Leaf.Clusters.Remove(absorbed);
        _byId.Remove(absorbed.Id);
        Unlink(absorbed);
        _aliases[absorbed.Id] = survivor.Id;
        survivor.Absorbed.Add(absorbed.Id);
        foreach (var id in absorbed.Absorbed)
        {
            _aliases[id] = survivor.Id;
            survivor.Absorbed.Add(id);
        }
    }

    private void Evict(LogTemplateCluster cluster)
    {
        cluster.Leaf.Clusters.Remove(cluster);
        _byId.Remove(cluster.Id);
        Unlink(cluster);
        foreach (var id in cluster.Absorbed)
        {
            _aliases.Remove(id);
        }

        EvictedCount++;
    }

    private void Touch(LogTemplateCluster cluster)
    {
        if (!ReferenceEquals(_newest, cluster))
        {
            Unlink(cluster);
            LinkAsNewest(cluster);
        }
    }

    private void LinkAsNewest(LogTemplateCluster cluster)
    {
        cluster.Newer = null;
        cluster.Older = _newest;
        if (_newest is not null)
        {
            _newest.Newer = cluster;
        }

        _newest = cluster;
        _oldest ??= cluster;
    }

    private void Unlink(LogTemplateCluster cluster)
    {
        if (cluster.Newer is not null)
        {
            cluster.Newer.Older = cluster.Older;
        }
        else
        {
            _newest = cluster.Older;
        }

        if (cluster.Older is not null)
        {
            cluster.Older.Newer = cluster.Newer;
        }
        else
        {
            _oldest = cluster.Newer;
        }

        cluster.Newer = null;
        cluster.Older = null;
    }
}
