namespace Autopilot.Rca.Graph;

/// <summary>Everything a graph store holds: versions in version order per node and edge, changes oldest first, the builder state last written, and the log position covered (-1: none).</summary>
public sealed record GraphStoreContent(
    long Lsn,
    IReadOnlyList<NodeVersion> Nodes,
    IReadOnlyList<EdgeVersion> Edges,
    IReadOnlyList<ChangeEvent> Changes,
    byte[]? BuilderState)
{
    public static readonly GraphStoreContent Empty = new(-1, [], [], [], null);
}
