using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Context;

/// <summary>
/// The part of the asset graph one analysis looks at, as dense indexes: for each node the nodes it depends on
/// (<see cref="Up"/>: where a fault of it may come from) and the nodes of this graph that depend on it
/// (<see cref="Down"/>), each with the fault planes (<see cref="FaultPlane"/>, as bit masks in <see cref="UpPlanes"/>
/// and <see cref="DownPlanes"/>, parallel to the lists) in which the dependency holds: a service depends on the
/// table it writes for its requests, the table on the service for its data. <see cref="Dependents"/> counts all
/// the direct dependents in the request and data planes, in this graph or not. Parallel edges of different kinds
/// between two nodes count once, with the union of their planes.
/// </summary>
internal sealed class ContextGraph
{
    /// <summary>Bit mask of every plane.</summary>
    public const byte AllPlanes = (1 << 3) - 1;

    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (int UpSlot, int DownSlot)> _edges = [];
    private readonly Dictionary<long, List<IReadOnlyList<TrafficSample>>> _calls = [];

    public List<string> Urns { get; } = [];

    public List<NodeRole> Roles { get; } = [];

    public List<List<int>> Up { get; } = [];

    public List<List<byte>> UpPlanes { get; } = [];

    public List<List<int>> Down { get; } = [];

    public List<List<byte>> DownPlanes { get; } = [];

    /// <summary>How many assets depend directly on each node in the whole asset graph (healthy ones included) in the request or data plane, once it was expanded.</summary>
    public List<int> Dependents { get; } = [];

    public int Count => Urns.Count;

    public int EdgeCount => _edges.Count;

    public static byte Mask(FaultPlane plane) => (byte)(1 << (int)plane);

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
        UpPlanes.Add([]);
        Down.Add([]);
        DownPlanes.Add([]);
        Dependents.Add(0);
        return node;
    }

    /// <summary>Records that a fault at <paramref name="upstream"/> can hurt <paramref name="downstream"/> in <paramref name="planes"/> (a bit mask).</summary>
    public void AddEdge(int upstream, int downstream, byte planes)
    {
        if (upstream == downstream || planes == 0)
        {
            return;
        }

        var key = ((long)upstream << 32) | (uint)downstream;
        if (_edges.TryGetValue(key, out var slots))
        {
            UpPlanes[downstream][slots.UpSlot] |= planes;
            DownPlanes[upstream][slots.DownSlot] |= planes;
            return;
        }

        _edges[key] = (Up[downstream].Count, Down[upstream].Count);
        Up[downstream].Add(upstream);
        UpPlanes[downstream].Add(planes);
        Down[upstream].Add(downstream);
        DownPlanes[upstream].Add(planes);
    }

    /// <summary>Records that a fault at <paramref name="upstream"/> can hurt <paramref name="downstream"/> in every plane.</summary>
    public void AddEdge(int upstream, int downstream) => AddEdge(upstream, downstream, AllPlanes);

    /// <summary>
    /// Records the traffic samples of an edge on which <paramref name="client"/> measures its calls to
    /// <paramref name="dependency"/> (a call, a statement, a publish): several edges between the two add up.
    /// </summary>
    public void AddCalls(int dependency, int client, IReadOnlyList<TrafficSample> samples)
    {
        if (dependency == client || samples.Count < 2)
        {
            return;
        }

        var key = ((long)dependency << 32) | (uint)client;
        if (!_calls.TryGetValue(key, out var list))
        {
            list = [];
            _calls[key] = list;
        }

        list.Add(samples);
    }

    /// <summary>
    /// The requests and mean latency (ms) of <paramref name="client"/>'s calls to <paramref name="dependency"/> between
    /// two times, from the counters as of the last sample at or before each; null when there are no samples that
    /// early, or no calls between them.
    /// </summary>
    public (long Requests, double MeanMs)? Calls(int dependency, int client, long fromUnixNano, long toUnixNano)
    {
        if (!_calls.TryGetValue(((long)dependency << 32) | (uint)client, out var list))
        {
            return null;
        }

        long requests = 0;
        var latency = 0.0;
        foreach (var samples in list)
        {
            var a = LastAtOrBefore(samples, fromUnixNano);
            var b = LastAtOrBefore(samples, toUnixNano);
            if (a < 0 || b <= a)
            {
                continue;
            }

            requests += samples[b].Requests - samples[a].Requests;
            latency += samples[b].LatencySumMs - samples[a].LatencySumMs;
        }

        return requests > 0 ? (requests, latency / requests) : null;
    }

    /// <summary>True when <paramref name="client"/>'s calls to <paramref name="dependency"/> have traffic samples.</summary>
    public bool HasCalls(int dependency, int client) => _calls.ContainsKey(((long)dependency << 32) | (uint)client);

    private static int LastAtOrBefore(IReadOnlyList<TrafficSample> samples, long at)
    {
        var found = -1;
        for (var i = 0; i < samples.Count && samples[i].AtUnixNano <= at; i++)
        {
            found = i;
        }

        return found;
    }

    /// <summary>The planes in which <paramref name="downstream"/> depends on <paramref name="upstream"/> (0: not at all).</summary>
    public byte Planes(int upstream, int downstream) =>
        _edges.TryGetValue(((long)upstream << 32) | (uint)downstream, out var slots) ? UpPlanes[downstream][slots.UpSlot] : (byte)0;

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
