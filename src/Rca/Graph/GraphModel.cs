namespace Autopilot.Rca.Graph;

/// <summary>
/// How two assets are related. The edge's direction is the natural one (caller → callee, producer →
/// topic → consumer, input dataset → job → output dataset, service → dataset it reads or writes);
/// <see cref="GraphEdges.FaultFlowsForward(EdgeKind, FaultPlane)"/> says which way each kind of fault travels along it.
/// </summary>
public enum EdgeKind
{
    /// <summary>Service calls service (client/server span pair). A fault in the callee hurts the caller.</summary>
    Calls,

    /// <summary>Service publishes to a topic.</summary>
    Produces,

    /// <summary>Topic is consumed by a service.</summary>
    Consumes,

    /// <summary>Dataset is an input of a job (OpenLineage).</summary>
    InputOf,

    /// <summary>Job writes a dataset (OpenLineage).</summary>
    Outputs,

    /// <summary>Service reads a dataset (database span).</summary>
    Reads,

    /// <summary>
    /// Service writes a dataset (database span). A writer that stops or writes bad data hurts the dataset; a database
    /// that is slow or fails statements hurts its writers.
    /// </summary>
    Writes,

    /// <summary>Column-level lineage between datasets (source dataset → derived dataset).</summary>
    DerivesFrom,
}

/// <summary>An asset at some point in time. <paramref name="ValidToUnixNano"/> is null while it is current.</summary>
public sealed record GraphNode(string Urn, string Kind, long ValidFromUnixNano, long? ValidToUnixNano, IReadOnlyDictionary<string, string> Properties);

/// <summary>Traffic over an edge (service graph): requests, failed requests, summed and p95 latency in ms.</summary>
public sealed record EdgeStats(long Requests, long Errors, double LatencySumMs, double LatencyP95Ms)
{
    public static readonly EdgeStats None = new(0, 0, 0, 0);
}

/// <summary>A relation valid from one time until another (null: still valid).</summary>
public sealed record GraphEdge(string From, string To, EdgeKind Kind, long ValidFromUnixNano, long? ValidToUnixNano, EdgeStats Stats);

/// <summary>
/// Something that changed an asset at a time: <c>deploy</c> (a new service.version), <c>schema</c> (a new
/// schema version of a dataset or topic), <c>contract</c> (a contract change), <c>config</c>.
/// </summary>
public sealed record ChangeEvent(string Urn, string Kind, long TimeUnixNano, string? Before, string? After, string Description);

/// <summary>A part of the graph as of a time: what <c>GET /api/graph</c> returns.</summary>
public sealed record GraphView(long AtUnixNano, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, IReadOnlyList<ChangeEvent> Changes);

public static class GraphEdges
{
    /// <summary>Every plane, in order.</summary>
    public static readonly IReadOnlyList<FaultPlane> Planes = [FaultPlane.Request, FaultPlane.Traffic, FaultPlane.Data];

    /// <summary>
    /// True when a fault at <see cref="GraphEdge.From"/> can cause symptoms at <see cref="GraphEdge.To"/> in the
    /// <see cref="FaultPlane.Data"/> plane (what the data is: a writer spoils or stops updating its dataset, a
    /// callee's answer its caller, a dataset its readers); false for the reverse.
    /// </summary>
    public static bool FaultFlowsForward(EdgeKind kind) => FaultFlowsForward(kind, FaultPlane.Data);

    /// <summary>
    /// True when a fault at <see cref="GraphEdge.From"/> can cause symptoms of <paramref name="plane"/> at
    /// <see cref="GraphEdge.To"/>; false when it travels from <see cref="GraphEdge.To"/> to <see cref="GraphEdge.From"/>.
    /// Requests fail towards the client (a slow database slows its writers as much as its readers); traffic follows
    /// every edge forwards; data follows the data (writer → dataset → reader, caller ← callee).
    /// </summary>
    public static bool FaultFlowsForward(EdgeKind kind, FaultPlane plane) => plane switch
    {
        FaultPlane.Request => kind is EdgeKind.Consumes or EdgeKind.InputOf or EdgeKind.DerivesFrom,
        FaultPlane.Traffic => true,
        _ => kind is not (EdgeKind.Calls or EdgeKind.Reads),
    };

    /// <summary>The end of the edge a fault of <paramref name="plane"/> starts from (the dependency).</summary>
    public static string Upstream(this GraphEdge edge, FaultPlane plane = FaultPlane.Data) => FaultFlowsForward(edge.Kind, plane) ? edge.From : edge.To;

    /// <summary>The end of the edge that suffers a fault of <paramref name="plane"/> at the other end (the dependent).</summary>
    public static string Downstream(this GraphEdge edge, FaultPlane plane = FaultPlane.Data) => FaultFlowsForward(edge.Kind, plane) ? edge.To : edge.From;
}

/// <summary>
/// The asset graph with history: services and data assets in one graph, every node and edge with a
/// validity interval, so it can be read as of any time. Implementations are safe for concurrent readers
/// while one writer updates them.
/// </summary>
public interface IAssetGraph
{
    int NodeCount { get; }

    int EdgeCount { get; }

    /// <summary>The node as of <paramref name="atUnixNano"/> (null: now), or null when it did not exist then.</summary>
    GraphNode? Node(string urn, long? atUnixNano = null);

    /// <summary>Edges touching <paramref name="urn"/> in either direction, valid at <paramref name="atUnixNano"/> (null: now).</summary>
    IReadOnlyList<GraphEdge> EdgesOf(string urn, long? atUnixNano = null);

    /// <summary>
    /// Recent samples (about one a minute, oldest first, the last hour at most) of the counters of the edge's current
    /// version; empty when it has none (no traffic, or not kept).
    /// </summary>
    IReadOnlyList<TrafficSample> Traffic(string from, string to, EdgeKind kind);

    /// <summary>Changes to any of <paramref name="urns"/> between two times, inclusive, oldest first.</summary>
    IReadOnlyList<ChangeEvent> Changes(IReadOnlyCollection<string> urns, long fromUnixNano, long toUnixNano);

    /// <summary>Nodes within <paramref name="depth"/> hops of <paramref name="urn"/> (either direction) and the edges among them, as of a time.</summary>
    GraphView Neighbourhood(string urn, int depth, long? atUnixNano = null);
}
