using Autopilot.Engines.Incidents;

namespace Autopilot.Rca.Graph.Building;

/// <summary>
/// Incident grouping by graph adjacency: two assets are related when one lies within a few hops of the other
/// over the edges open now. The correlator asks once per open incident URN per finding, so the neighbourhood of
/// each URN asked about is cached until the graph's topology changes (an edge appears, opens or closes).
/// </summary>
internal sealed class GraphRelations : IAssetRelations
{
    private const int MaxCached = 4096;

    private readonly AssetGraph _graph;
    private readonly int _hops;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlySet<string>> _cache = new(StringComparer.Ordinal);
    private long _version = -1;

    public GraphRelations(AssetGraph graph, int hops)
    {
        _graph = graph;
        _hops = hops;
    }

    public bool AreRelated(string urnA, string urnB)
    {
        if (urnA is null || urnB is null)
        {
            return false;
        }

        if (string.Equals(urnA, urnB, StringComparison.Ordinal))
        {
            return true;
        }

        var version = _graph.TopologyVersion;
        lock (_gate)
        {
            if (version != _version)
            {
                _cache.Clear();
                _version = version;
            }

            if (!_cache.TryGetValue(urnA, out var near))
            {
                near = _graph.WithinHops(urnA, _hops);
                if (_cache.Count >= MaxCached)
                {
                    _cache.Clear();
                }

                _cache[urnA] = near;
            }

            return near.Contains(urnB);
        }
    }
}
