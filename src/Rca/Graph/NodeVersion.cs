namespace Autopilot.Rca.Graph;

/// <summary>
/// One version of a node as the graph builder writes it: the node, its version number (0, 1, 2, … per URN, so a
/// write of the same version replaces it), when it was last observed, and the builder's own bookkeeping for
/// the current version (versions seen, schema fields; null for finished versions).
/// </summary>
public sealed record NodeVersion(GraphNode Node, int Seq, long LastSeenUnixNano, string? State = null);
