namespace Autopilot.Rca.Graph;

/// <summary>
/// Where the asset graph with its history is kept: SQLite (<see cref="SqliteGraphStore"/>, the embedded default)
/// or PostgreSQL (<see cref="PostgresGraphStore"/>). Like the engine stores it records the write-ahead-log
/// position its content covers, so a restart replays the log from there and nothing is counted twice.
/// Implementations throw <see cref="GraphStoreException"/> naming the store when it cannot be used.
/// </summary>
public interface IGraphStore : IDisposable
{
    /// <summary>Everything stored.</summary>
    GraphStoreContent Load();

    /// <summary>
    /// Writes <paramref name="commit"/> in one transaction: node versions upserted by (urn, seq), edge versions by
    /// (from, to, kind, seq), changes added unless already there, the builder state and the log position replaced,
    /// old history pruned.
    /// </summary>
    void Commit(GraphCommit commit);
}
