namespace Autopilot.Rca.Graph;

/// <summary>
/// One version of an edge as the graph builder writes it: the edge with its stats, its version number (0, 1, 2, …
/// per from/to/kind), when it was last observed, and the latency histogram the p95 comes from (so counting can
/// resume after a restart; null when it carried no latency).
/// </summary>
public sealed record EdgeVersion(GraphEdge Edge, int Seq, long LastSeenUnixNano, byte[]? Histogram = null);
