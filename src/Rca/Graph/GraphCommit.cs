namespace Autopilot.Rca.Graph;

/// <summary>
/// What the graph builder writes in one transaction: the node and edge versions that changed, new changes, its own
/// state (the client/server spans still waiting for their other half, its watermarks; opaque to the store), and the
/// write-ahead-log position all of it covers. Versions
/// whose valid-to lies before <see cref="PruneBeforeUnixNano"/> (and changes before it) are deleted in the same
/// transaction; <see cref="long.MinValue"/> prunes nothing.
/// </summary>
public sealed record GraphCommit(
    long Lsn,
    IReadOnlyList<NodeVersion> Nodes,
    IReadOnlyList<EdgeVersion> Edges,
    IReadOnlyList<ChangeEvent> Changes,
    byte[]? BuilderState,
    long PruneBeforeUnixNano = long.MinValue);
