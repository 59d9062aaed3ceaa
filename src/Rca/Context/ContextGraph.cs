namespace Autopilot.Rca.Context;

/// <summary>
/// The part of the asset graph one analysis looks at, as dense indexes: for each node the nodes it depends on
/// (<see cref="Up"/>: where a fault of it may come from) and the nodes of this graph that depend on it
/// (<see cref="Down"/>; <see cref="Dependents"/> counts all of them, in the graph or not).
/// Parallel edges of different kinds between two nodes count once.
/// </summary>
internal sealed class ContextGraph
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly HashSet<long> _edges = [];

    public List<string> Urns { get; } = [];

    public List<NodeRole> Roles { get; } = [];

    public List<List<int>> Up { get; } = [];

    public List<List<int>> Down { get; } = [];

    /// <summary>How many assets depend directly on each node in the whole asset graph (healthy ones included), once it was expanded.</summary>
    public List<int> Dependents { get; } = [];

    public int Count => Urns.Count;

    public int EdgeCount => _edges.Count;

    public bool TryGet(string urn, out int node) => _index.TryGetValue(urn, out node);

    /// <summary>Adds the node, or raises the role of a node already there (a symptom stays a symptom).</summary>
    public int Add(string urn, NodeRole role)
    {
        if (_index.TryGetValue(urn, out var existing))
        {
            if (role < Roles[existing])
            {
                Roles[existing] = role;
            }

            return existing;
        }

        var node = Urns.Count;
        _index[urn] = node;
        Urns.Add(urn);
        Roles.Add(role);
        Up.Add([]);
        Down.Add([]);
        Dependents.Add(0);
        return node;
    }

    /// <summary>Records that a fault at <paramref name="upstream"/> can hurt <paramref name="downstream"/>.</summary>
    public void AddEdge(int upstream, int downstream)
    {
        if (upstream == downstream || !_edges.Add(((long)upstream << 32) | (uint)downstream))
        {
            return;
        }

        Up[downstream].Add(upstream);
        Down[upstream].Add(downstream);
    }

    /// <summary>The asset kind from the URN (<c>urn:autopilot:&lt;kind&gt;:…</c>), or "asset".</summary>
    public static string KindOf(string urn)
    {
        const string Prefix = "urn:autopilot:";
        if (!urn.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return "asset";
        }

        var end = urn.IndexOf(':', Prefix.Length);
        return end > Prefix.Length ? urn[Prefix.Length..end] : "asset";
    }
}
