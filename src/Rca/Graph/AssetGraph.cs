namespace Autopilot.Rca.Graph;

/// <summary>
/// The in-memory asset graph with history. Each node and each (from, to, kind) edge keeps a list of
/// versions with validity intervals; reads "as of" a time pick the version valid then. One writer
/// (the graph builder) and any number of readers: writes and reads take one lock, reads copy out.
/// </summary>
public sealed class AssetGraph : IAssetGraph
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<GraphNode>> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To, EdgeKind Kind), List<GraphEdge>> _edges = [];
    private readonly Dictionary<string, List<(string From, string To, EdgeKind Kind)>> _adjacency = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ChangeEvent>> _changes = new(StringComparer.Ordinal);
    private int _edgeVersions;

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
            if (!_nodes.TryGetValue(urn, out var versions))
            {
                _nodes[urn] = [new GraphNode(urn, kind, timeUnixNano, null, properties)];
                return;
            }

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
            if (!_edges.TryGetValue(key, out var versions))
            {
                versions = [];
                _edges[key] = versions;
                Adjacent(from).Add(key);
                Adjacent(to).Add(key);
            }

            if (versions.Count == 0 || (versions[^1].ValidToUnixNano is { } end && timeUnixNano >= end))
            {
                versions.Add(new GraphEdge(from, to, kind, timeUnixNano, null, traffic ?? EdgeStats.None));
                _edgeVersions++;
                return;
            }

            var last = versions[^1];
            var stats = traffic is null ? last.Stats : Add(last.Stats, traffic);
            versions[^1] = last with { ValidFromUnixNano = Math.Min(last.ValidFromUnixNano, timeUnixNano), Stats = stats };
        }
    }

    /// <summary>Ends the current version of an edge at <paramref name="timeUnixNano"/> (no longer seen). False when it is not open.</summary>
    public bool CloseEdge(string from, string to, EdgeKind kind, long timeUnixNano)
    {
        lock (_gate)
        {
            if (!_edges.TryGetValue((from, to, kind), out var versions) || versions[^1].ValidToUnixNano is not null)
            {
                return false;
            }

            versions[^1] = versions[^1] with { ValidToUnixNano = Math.Max(timeUnixNano, versions[^1].ValidFromUnixNano) };
            return true;
        }
    }

    /// <summary>Records a change (deploy, schema, contract, config); a repeat of the same change at the same time is ignored.</summary>
    public void AddChange(ChangeEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
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

            if (at > 0 && list[at - 1] == change)
            {
                return;
            }

            list.Insert(at, change);
        }
    }

    public GraphNode? Node(string urn, long? atUnixNano = null)
    {
        lock (_gate)
        {
            return _nodes.TryGetValue(urn, out var versions) ? ValidAt(versions, atUnixNano) : null;
        }
    }

    public IReadOnlyList<GraphEdge> EdgesOf(string urn, long? atUnixNano = null)
    {
        lock (_gate)
        {
            return EdgesOfLocked(urn, atUnixNano);
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

        result.Sort((a, b) => a.TimeUnixNano != b.TimeUnixNano ? a.TimeUnixNano.CompareTo(b.TimeUnixNano) : string.CompareOrdinal(a.Urn, b.Urn));
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
                    if (_nodes.TryGetValue(current, out var versions) && ValidAt(versions, atUnixNano) is { } node)
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

        var urns = nodes.Select(n => n.Urn).ToHashSet(StringComparer.Ordinal);
        var at = atUnixNano ?? long.MaxValue;
        return new GraphView(
            atUnixNano ?? 0,
            [.. nodes.OrderBy(n => n.Urn, StringComparer.Ordinal)],
            [.. edges.Values.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ThenBy(e => e.Kind)],
            Changes(urns, 0, at));
    }

    /// <summary>Every node version and edge version, for persistence and tests.</summary>
    public (IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, IReadOnlyList<ChangeEvent> Changes) Export()
    {
        lock (_gate)
        {
            return ([.. _nodes.Values.SelectMany(v => v)], [.. _edges.Values.SelectMany(v => v)], [.. _changes.Values.SelectMany(v => v)]);
        }
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyProperties = new Dictionary<string, string>();

    private List<(string From, string To, EdgeKind Kind)> Adjacent(string urn)
    {
        if (!_adjacency.TryGetValue(urn, out var list))
        {
            list = [];
            _adjacency[urn] = list;
        }

        return list;
    }

    private List<GraphEdge> EdgesOfLocked(string urn, long? atUnixNano)
    {
        var result = new List<GraphEdge>();
        if (_adjacency.TryGetValue(urn, out var keys))
        {
            foreach (var key in keys)
            {
                if (ValidAt(_edges[key], atUnixNano) is { } edge)
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
