namespace Autopilot.Rca.Graph;

/// <summary>
/// The in-memory asset graph with history. Each node and each (from, to, kind) edge keeps a list of
/// versions with validity intervals; reads "as of" a time pick the version valid then. One writer
/// (the graph builder, which hands over whole batches through <see cref="Apply"/>) and any number of
/// readers: writes and reads take one lock, reads copy out.
/// </summary>
public sealed class AssetGraph : IAssetGraph
{
    private static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>();

    private readonly Lock _gate = new();
    private readonly Dictionary<string, VersionHistory<GraphNode>> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To, EdgeKind Kind), VersionHistory<GraphEdge>> _edges = [];
    private readonly Dictionary<string, List<(string From, string To, EdgeKind Kind)>> _adjacency = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ChangeEvent>> _changes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To, EdgeKind Kind), TrafficHistory> _traffic = [];
    private int _edgeVersions;
    private int _changeCount;
    private long _topologyVersion;

    public int NodeCount
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Count;
            }
        }
    }

    public int EdgeCount
    {
        get
        {
            lock (_gate)
            {
                return _edges.Count;
            }
        }
    }

    /// <summary>Edge versions stored, over all history.</summary>
    public int EdgeVersionCount
    {
        get
        {
            lock (_gate)
            {
                return _edgeVersions;
            }
        }
    }

    /// <summary>Changes stored, over all history.</summary>
    public int ChangeCount
    {
        get
        {
            lock (_gate)
            {
                return _changeCount;
            }
        }
    }

    /// <summary>
    /// Goes up whenever an edge appears, opens, closes or is pruned, so a cache of who is near whom
    /// (see <see cref="WithinHops"/>) knows when to recompute.
    /// </summary>
    public long TopologyVersion => Interlocked.Read(ref _topologyVersion);

    /// <summary>
    /// Records that <paramref name="urn"/> exists from <paramref name="timeUnixNano"/> with these properties. Same
    /// properties as the current version: nothing changes. Different: the current version ends and a new one starts.
    /// </summary>
    public void UpsertNode(string urn, string kind, long timeUnixNano, IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(urn);
        properties ??= EmptyProperties;
        lock (_gate)
        {
            if (!_nodes.TryGetValue(urn, out var history))
            {
                history = new VersionHistory<GraphNode>(0);
                history.Versions.Add(new GraphNode(urn, kind, timeUnixNano, null, properties));
                _nodes[urn] = history;
                return;
            }

            var versions = history.Versions;
            var last = versions[^1];
            if (last.ValidToUnixNano is null && SameProperties(last.Properties, properties))
            {
                if (timeUnixNano < last.ValidFromUnixNano)
                {
                    versions[^1] = last with { ValidFromUnixNano = timeUnixNano };
                }

                return;
            }

            if (timeUnixNano < last.ValidFromUnixNano)
            {
                return; // An older observation of a version already superseded: history keeps the later one.
            }

            if (last.ValidToUnixNano is null)
            {
                versions[^1] = last with { ValidToUnixNano = timeUnixNano };
            }

            versions.Add(new GraphNode(urn, kind, timeUnixNano, null, properties));
        }
    }

    /// <summary>
    /// Records that the edge was seen at <paramref name="timeUnixNano"/>, adding <paramref name="traffic"/> to its
    /// stats. A closed edge seen again opens a new version.
    /// </summary>
    public void ObserveEdge(string from, string to, EdgeKind kind, long timeUnixNano, EdgeStats? traffic = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var key = (from, to, kind);
        lock (_gate)
        {
            if (!_edges.TryGetValue(key, out var history))
            {
                history = new VersionHistory<GraphEdge>(0);
                _edges[key] = history;
                Adjacent(from).Add(key);
                Adjacent(to).Add(key);
            }

            var versions = history.Versions;
            if (versions.Count == 0 || (versions[^1].ValidToUnixNano is { } end && timeUnixNano >= end))
            {
                versions.Add(new GraphEdge(from, to, kind, timeUnixNano, null, traffic ?? EdgeStats.None));
                _edgeVersions++;
                Interlocked.Increment(ref _topologyVersion);
                RecordTrafficLocked(key, history.NextSeq - 1, timeUnixNano, versions[^1]);
                return;
            }

            var last = versions[^1];
            var stats = traffic is null ? last.Stats : Add(last.Stats, traffic);
            versions[^1] = last with { ValidFromUnixNano = Math.Min(last.ValidFromUnixNano, timeUnixNano), Stats = stats };
            RecordTrafficLocked(key, history.NextSeq - 1, timeUnixNano, versions[^1]);
        }
    }

    /// <summary>Ends the current version of an edge at <paramref name="timeUnixNano"/> (no longer seen). False when it is not open.</summary>
    public bool CloseEdge(string from, string to, EdgeKind kind, long timeUnixNano)
    {
        lock (_gate)
        {
            if (!_edges.TryGetValue((from, to, kind), out var history) || history.Versions.Count == 0 || history.Last.ValidToUnixNano is not null)
            {
                return false;
            }

            var versions = history.Versions;
            versions[^1] = versions[^1] with { ValidToUnixNano = Math.Max(timeUnixNano, versions[^1].ValidFromUnixNano) };
            Interlocked.Increment(ref _topologyVersion);
            return true;
        }
    }

    /// <summary>Records a change (deploy, schema, contract, config); a repeat of the same change at the same time is ignored.</summary>
    public void AddChange(ChangeEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            AddChangeLocked(change);
        }
    }

    /// <summary>
    /// Writes whole versions under one lock: a node or edge version with a number the graph already has replaces
    /// it, the next number appends. This is how the graph builder publishes a batch and how a store is loaded.
    /// </summary>
    public void Apply(IReadOnlyList<NodeVersion> nodes, IReadOnlyList<EdgeVersion> edges, IReadOnlyList<ChangeEvent> changes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            for (var i = 0; i < nodes.Count; i++)
            {
                var version = nodes[i];
                var node = version.Node;
                if (!_nodes.TryGetValue(node.Urn, out var history))
                {
                    history = new VersionHistory<GraphNode>(version.Seq);
                    _nodes[node.Urn] = history;
                }

                history.Set(version.Seq, node, out _);
            }

            for (var i = 0; i < edges.Count; i++)
            {
                var version = edges[i];
                var edge = version.Edge;
                var key = (edge.From, edge.To, edge.Kind);
                if (!_edges.TryGetValue(key, out var history))
                {
                    history = new VersionHistory<GraphEdge>(version.Seq);
                    _edges[key] = history;
                    Adjacent(edge.From).Add(key);
                    Adjacent(edge.To).Add(key);
                }

                if (version.Seq == history.NextSeq - 1 || version.Seq == history.NextSeq)
                {
                    RecordTrafficLocked(key, version.Seq, version.LastSeenUnixNano, edge);
                }

                if (history.Set(version.Seq, edge, out var previous))
                {
                    _edgeVersions++;
                    _topologyVersion++;
                }
                else if (previous is not null && (previous.ValidToUnixNano is null) != (edge.ValidToUnixNano is null))
                {
                    _topologyVersion++;
                }
            }

            for (var i = 0; i < changes.Count; i++)
            {
                AddChangeLocked(changes[i]);
            }
        }
    }

    /// <summary>
    /// Forgets history that ended before <paramref name="beforeUnixNano"/>: node and edge versions whose valid-to is
    /// earlier (a node or edge with none left goes entirely) and changes older than that. Open versions stay.
    /// </summary>
    public void Prune(long beforeUnixNano)
    {
        lock (_gate)
        {
            List<string>? goneNodes = null;
            foreach (var (urn, history) in _nodes)
            {
                var n = CountEnded(history.Versions, beforeUnixNano);
                if (n == history.Versions.Count)
                {
                    (goneNodes ??= []).Add(urn);
                }
                else if (n > 0)
                {
                    history.RemovePrefix(n);
                }
            }

            foreach (var urn in goneNodes ?? [])
            {
                _nodes.Remove(urn);
            }

            List<(string From, string To, EdgeKind Kind)>? goneEdges = null;
            foreach (var (key, history) in _edges)
            {
                var n = CountEnded(history.Versions, beforeUnixNano);
                if (n == history.Versions.Count)
                {
                    (goneEdges ??= []).Add(key);
                }
                else if (n > 0)
                {
                    history.RemovePrefix(n);
                }

                _edgeVersions -= n;
            }

            foreach (var key in goneEdges ?? [])
            {
                _edges.Remove(key);
                _traffic.Remove(key);
                RemoveAdjacency(key.From, key);
                RemoveAdjacency(key.To, key);
            }

            if (goneEdges is not null)
            {
                _topologyVersion++;
            }

            List<string>? goneChanges = null;
            foreach (var (urn, list) in _changes)
            {
                var n = 0;
                while (n < list.Count && list[n].TimeUnixNano < beforeUnixNano)
                {
                    n++;
                }

                list.RemoveRange(0, n);
                _changeCount -= n;
                if (list.Count == 0)
                {
                    (goneChanges ??= []).Add(urn);
                }
            }

            foreach (var urn in goneChanges ?? [])
            {
                _changes.Remove(urn);
            }
        }
    }

    /// <summary>True when the graph has ever had (and still keeps history of) <paramref name="urn"/> as a node or an edge end.</summary>
    public bool Contains(string urn)
    {
        ArgumentNullException.ThrowIfNull(urn);
        lock (_gate)
        {
            return _nodes.ContainsKey(urn) || _adjacency.ContainsKey(urn);
        }
    }

    public GraphNode? Node(string urn, long? atUnixNano = null)
    {
        lock (_gate)
        {
            return _nodes.TryGetValue(urn, out var history) ? ValidAt(history.Versions, atUnixNano) : null;
        }
    }

    public IReadOnlyList<GraphEdge> EdgesOf(string urn, long? atUnixNano = null)
    {
        lock (_gate)
        {
            return EdgesOfLocked(urn, atUnixNano);
        }
    }

    public IReadOnlyList<TrafficSample> Traffic(string from, string to, EdgeKind kind)
    {
        lock (_gate)
        {
            return _traffic.TryGetValue((from, to, kind), out var history) ? history.ToArray() : [];
        }
    }

    public IReadOnlyList<ChangeEvent> Changes(IReadOnlyCollection<string> urns, long fromUnixNano, long toUnixNano)
    {
        ArgumentNullException.ThrowIfNull(urns);
        var result = new List<ChangeEvent>();
        lock (_gate)
        {
            foreach (var urn in urns)
            {
                if (_changes.TryGetValue(urn, out var list))
                {
                    result.AddRange(list.Where(c => c.TimeUnixNano >= fromUnixNano && c.TimeUnixNano <= toUnixNano));
                }
            }
        }

        result.Sort(ChangeOrder);
        return result;
    }

    public GraphView Neighbourhood(string urn, int depth, long? atUnixNano = null)
    {
        ArgumentNullException.ThrowIfNull(urn);
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        var nodes = new List<GraphNode>();
        var edges = new Dictionary<(string, string, EdgeKind), GraphEdge>();
        lock (_gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { urn };
            var frontier = new List<string> { urn };
            for (var hop = 0; hop <= depth && frontier.Count > 0; hop++)
            {
                var next = new List<string>();
                foreach (var current in frontier)
                {
                    if (_nodes.TryGetValue(current, out var history) && ValidAt(history.Versions, atUnixNano) is { } node)
                    {
                        nodes.Add(node);
                    }

                    if (hop == depth)
                    {
                        continue;
                    }

                    foreach (var edge in EdgesOfLocked(current, atUnixNano))
                    {
                        edges[(edge.From, edge.To, edge.Kind)] = edge;
                        var other = string.Equals(edge.From, current, StringComparison.Ordinal) ? edge.To : edge.From;
                        if (seen.Add(other))
                        {
                            next.Add(other);
                        }
                    }
                }

                frontier = next;
            }
        }

        // An edge to a node outside the depth is kept only when both ends are in the view.
        var urns = nodes.Select(n => n.Urn).ToHashSet(StringComparer.Ordinal);
        var at = atUnixNano ?? long.MaxValue;
        return new GraphView(
            atUnixNano ?? 0,
            [.. nodes.OrderBy(n => n.Urn, StringComparer.Ordinal)],
            [.. edges.Values.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ThenBy(e => e.Kind)],
            Changes(urns, 0, at));
    }

    /// <summary>
    /// The whole graph as of a time, capped: the first <paramref name="limit"/> nodes valid then (by URN), the edges
    /// valid then among them, and their latest <paramref name="limit"/> changes up to that time.
    /// </summary>
    public GraphView Overview(int limit, long? atUnixNano, out bool truncated)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var nodes = new List<GraphNode>();
        lock (_gate)
        {
            foreach (var history in _nodes.Values)
            {
                if (ValidAt(history.Versions, atUnixNano) is { } node)
                {
                    nodes.Add(node);
                }
            }
        }

        nodes.Sort((a, b) => string.CompareOrdinal(a.Urn, b.Urn));
        truncated = nodes.Count > limit;
        if (truncated)
        {
            nodes.RemoveRange(limit, nodes.Count - limit);
        }

        var urns = nodes.Select(n => n.Urn).ToHashSet(StringComparer.Ordinal);
        var edges = new List<GraphEdge>();
        lock (_gate)
        {
            foreach (var history in _edges.Values)
            {
                if (ValidAt(history.Versions, atUnixNano) is { } edge && urns.Contains(edge.From) && urns.Contains(edge.To))
                {
                    edges.Add(edge);
                }
            }
        }

        edges.Sort((a, b) =>
        {
            var c = string.CompareOrdinal(a.From, b.From);
            c = c != 0 ? c : string.CompareOrdinal(a.To, b.To);
            return c != 0 ? c : a.Kind.CompareTo(b.Kind);
        });
        var changes = Changes(urns, 0, atUnixNano ?? long.MaxValue);
        if (changes.Count > limit)
        {
            truncated = true;
            changes = [.. changes.Skip(changes.Count - limit)];
        }

        return new GraphView(atUnixNano ?? 0, nodes, edges, changes);
    }

    /// <summary>
    /// The URNs within <paramref name="hops"/> hops of <paramref name="urn"/> (either direction) over the edges open
    /// now, <paramref name="urn"/> included.
    /// </summary>
    public IReadOnlySet<string> WithinHops(string urn, int hops)
    {
        ArgumentNullException.ThrowIfNull(urn);
        ArgumentOutOfRangeException.ThrowIfNegative(hops);
        var seen = new HashSet<string>(StringComparer.Ordinal) { urn };
        lock (_gate)
        {
            var frontier = new List<string> { urn };
            var next = new List<string>();
            for (var hop = 0; hop < hops && frontier.Count > 0; hop++)
            {
                next.Clear();
                foreach (var current in frontier)
                {
                    if (!_adjacency.TryGetValue(current, out var keys))
                    {
                        continue;
                    }

                    foreach (var key in keys)
                    {
                        if (_edges[key].Last.ValidToUnixNano is not null)
                        {
                            continue;
                        }

                        var other = string.Equals(key.From, current, StringComparison.Ordinal) ? key.To : key.From;
                        if (seen.Add(other))
                        {
                            next.Add(other);
                        }
                    }
                }

                (frontier, next) = (next, frontier);
            }
        }

        return seen;
    }

    /// <summary>Every node version and edge version, for persistence and tests.</summary>
    public (IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, IReadOnlyList<ChangeEvent> Changes) Export()
    {
        lock (_gate)
        {
            return ([.. _nodes.Values.SelectMany(v => v.Versions)], [.. _edges.Values.SelectMany(v => v.Versions)], [.. _changes.Values.SelectMany(v => v)]);
        }
    }

    private static int ChangeOrder(ChangeEvent a, ChangeEvent b) =>
        a.TimeUnixNano != b.TimeUnixNano ? a.TimeUnixNano.CompareTo(b.TimeUnixNano) : string.CompareOrdinal(a.Urn, b.Urn);

    private static int CountEnded<T>(List<T> versions, long before)
        where T : class
    {
        var n = 0;
        while (n < versions.Count && ValidTo(versions[n]) is { } end && end < before)
        {
            n++;
        }

        return n;
    }

    private static long? ValidTo<T>(T version) => version switch
    {
        GraphNode node => node.ValidToUnixNano,
        GraphEdge edge => edge.ValidToUnixNano,
        _ => null,
    };

    private void AddChangeLocked(ChangeEvent change)
    {
        if (!_changes.TryGetValue(change.Urn, out var list))
        {
            list = [];
            _changes[change.Urn] = list;
        }

        var at = list.Count;
        while (at > 0 && list[at - 1].TimeUnixNano > change.TimeUnixNano)
        {
            at--;
        }

        // Equal times: the same change again (a replay, a second writer) is kept once.
        for (var i = at - 1; i >= 0 && list[i].TimeUnixNano == change.TimeUnixNano; i--)
        {
            if (list[i] == change)
            {
                return;
            }
        }

        list.Insert(at, change);
        _changeCount++;
    }

    /// <summary>
    /// Samples the counters of the edge's latest version while it is open and carries requests (lineage edges carry
    /// none), so an analysis can tell its traffic before an onset from its traffic after.
    /// </summary>
    private void RecordTrafficLocked((string From, string To, EdgeKind Kind) key, int seq, long atUnixNano, GraphEdge edge)
    {
        if (edge.ValidToUnixNano is not null || edge.Stats.Requests <= 0)
        {
            return;
        }

        if (!_traffic.TryGetValue(key, out var history))
        {
            history = new TrafficHistory();
            _traffic[key] = history;
        }

        history.Record(seq, atUnixNano, edge.Stats);
    }

    private List<(string From, string To, EdgeKind Kind)> Adjacent(string urn)
    {
        if (!_adjacency.TryGetValue(urn, out var list))
        {
            list = [];
            _adjacency[urn] = list;
        }

        return list;
    }

    private void RemoveAdjacency(string urn, (string From, string To, EdgeKind Kind) key)
    {
        if (_adjacency.TryGetValue(urn, out var list))
        {
            list.Remove(key);
            if (list.Count == 0)
            {
                _adjacency.Remove(urn);
            }
        }
    }

    private List<GraphEdge> EdgesOfLocked(string urn, long? atUnixNano)
    {
        var result = new List<GraphEdge>();
        if (_adjacency.TryGetValue(urn, out var keys))
        {
            foreach (var key in keys)
            {
                if (ValidAt(_edges[key].Versions, atUnixNano) is { } edge)
                {
                    result.Add(edge);
                }
            }
        }

        return result;
    }

    private static GraphNode? ValidAt(List<GraphNode> versions, long? at)
    {
        for (var i = versions.Count - 1; i >= 0; i--)
        {
            var v = versions[i];
            if (at is null ? v.ValidToUnixNano is null : v.ValidFromUnixNano <= at && (v.ValidToUnixNano is null || at < v.ValidToUnixNano))
            {
                return v;
            }
        }

        return null;
    }

    private static GraphEdge? ValidAt(List<GraphEdge> versions, long? at)
    {
        for (var i = versions.Count - 1; i >= 0; i--)
        {
            var v = versions[i];
            if (at is null ? v.ValidToUnixNano is null : v.ValidFromUnixNano <= at && (v.ValidToUnixNano is null || at < v.ValidToUnixNano))
            {
                return v;
            }
        }

        return null;
    }

    private static EdgeStats Add(EdgeStats a, EdgeStats b) =>
        new(a.Requests + b.Requests, a.Errors + b.Errors, a.LatencySumMs + b.LatencySumMs, Math.Max(a.LatencyP95Ms, b.LatencyP95Ms));

    private static bool SameProperties(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
