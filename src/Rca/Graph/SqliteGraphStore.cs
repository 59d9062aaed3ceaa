using Autopilot.Rca.Graph.Storage;
using Microsoft.Data.Sqlite;

namespace Autopilot.Rca.Graph;

/// <summary>
/// The embedded graph store: one SQLite file (<c>&lt;data-dir&gt;/graph.db</c>, WAL journal) with a row per node
/// version, edge version and change, and one row with the log position and the builder's state. Serialized access.
/// </summary>
public sealed class SqliteGraphStore : IGraphStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        CREATE TABLE IF NOT EXISTS graph_state (id INTEGER PRIMARY KEY CHECK (id = 0), lsn INTEGER NOT NULL, builder_state BLOB);
        CREATE TABLE IF NOT EXISTS graph_nodes (
            urn TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER,
            last_seen INTEGER NOT NULL, properties TEXT NOT NULL, state TEXT, PRIMARY KEY (urn, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS graph_edges (
            from_urn TEXT NOT NULL, to_urn TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, valid_from INTEGER NOT NULL,
            valid_to INTEGER, last_seen INTEGER NOT NULL, requests INTEGER NOT NULL, errors INTEGER NOT NULL,
            latency_sum_ms REAL NOT NULL, latency_p95_ms REAL NOT NULL, histogram BLOB,
            PRIMARY KEY (from_urn, to_urn, kind, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS graph_changes (
            urn TEXT NOT NULL, kind TEXT NOT NULL, time_ns INTEGER NOT NULL, before TEXT, after TEXT, description TEXT NOT NULL,
            PRIMARY KEY (urn, kind, time_ns, description)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS graph_changes_time ON graph_changes (time_ns);
        """;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly string _path;

    /// <summary>Opens (creating when missing) the store at <paramref name="path"/>; throws <see cref="GraphStoreException"/> naming the file when it cannot.</summary>
    public SqliteGraphStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        try
        {
            var directory = Path.GetDirectoryName(_path);
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
            _connection.Open();
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = Schema;
            cmd.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            _connection?.Dispose();
            throw new GraphStoreException($"Cannot open the graph store {_path}: {e.Message}", e);
        }
    }

    public GraphStoreContent Load()
    {
        lock (_gate)
        {
            try
            {
                long lsn = -1;
                byte[]? state = null;
                using (var cmd = _connection.CreateCommand())
                {
                    cmd.CommandText = "SELECT lsn, builder_state FROM graph_state WHERE id = 0";
                    using var reader = cmd.ExecuteReader();
                    if (reader.Read())
                    {
                        lsn = reader.GetInt64(0);
                        state = reader.IsDBNull(1) ? null : (byte[])reader[1];
                    }
                }

                var nodes = new List<NodeVersion>();
                using (var cmd = _connection.CreateCommand())
                {
                    cmd.CommandText = "SELECT urn, seq, kind, valid_from, valid_to, last_seen, properties, state FROM graph_nodes ORDER BY urn, seq";
                    using var reader = cmd.ExecuteReader();
                    while (reader.Read())
                    {
                        var node = new GraphNode(reader.GetString(0), reader.GetString(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4), StoreRows.Properties(reader.GetString(6)));
                        nodes.Add(new NodeVersion(node, reader.GetInt32(1), reader.GetInt64(5), reader.IsDBNull(7) ? null : reader.GetString(7)));
                    }
                }

                var edges = new List<EdgeVersion>();
                using (var cmd = _connection.CreateCommand())
                {
                    cmd.CommandText = """
                        SELECT from_urn, to_urn, kind, seq, valid_from, valid_to, last_seen, requests, errors, latency_sum_ms, latency_p95_ms, histogram
                        FROM graph_edges ORDER BY from_urn, to_urn, kind, seq
                        """;
                    using var reader = cmd.ExecuteReader();
                    while (reader.Read())
                    {
                        if (!StoreRows.TryKind(reader.GetString(2), out var kind))
                        {
                            continue; // Written by a newer version with an edge kind this one does not know.
                        }

                        var stats = new EdgeStats(reader.GetInt64(7), reader.GetInt64(8), reader.GetDouble(9), reader.GetDouble(10));
                        var edge = new GraphEdge(reader.GetString(0), reader.GetString(1), kind, reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5), stats);
                        edges.Add(new EdgeVersion(edge, reader.GetInt32(3), reader.GetInt64(6), reader.IsDBNull(11) ? null : (byte[])reader[11]));
                    }
                }

                var changes = new List<ChangeEvent>();
                using (var cmd = _connection.CreateCommand())
                {
                    cmd.CommandText = "SELECT urn, kind, time_ns, before, after, description FROM graph_changes ORDER BY time_ns, urn";
                    using var reader = cmd.ExecuteReader();
                    while (reader.Read())
                    {
                        changes.Add(new ChangeEvent(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
                    }
                }

                return new GraphStoreContent(lsn, nodes, edges, changes, state);
            }
            catch (SqliteException e)
            {
                throw new GraphStoreException($"Cannot read the graph store {_path}: {e.Message}", e);
            }
        }
    }

    public void Commit(GraphCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        lock (_gate)
        {
            try
            {
                using var tx = _connection.BeginTransaction();
                WriteNodes(tx, StoreRows.DistinctNodes(commit.Nodes));
                WriteEdges(tx, StoreRows.DistinctEdges(commit.Edges));
                WriteChanges(tx, commit.Changes);
                using (var cmd = _connection.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = """
                        INSERT INTO graph_state (id, lsn, builder_state) VALUES (0, $lsn, $state)
                        ON CONFLICT(id) DO UPDATE SET lsn = excluded.lsn, builder_state = excluded.builder_state
                        """;
                    cmd.Parameters.AddWithValue("$lsn", commit.Lsn);
                    cmd.Parameters.AddWithValue("$state", (object?)commit.BuilderState ?? DBNull.Value);
                    cmd.ExecuteNonQuery();
                }

                if (commit.PruneBeforeUnixNano != long.MinValue)
                {
                    using var cmd = _connection.CreateCommand();
                    cmd.Transaction = tx;
                    cmd.CommandText = """
                        DELETE FROM graph_nodes WHERE valid_to IS NOT NULL AND valid_to < $before;
                        DELETE FROM graph_edges WHERE valid_to IS NOT NULL AND valid_to < $before;
                        DELETE FROM graph_changes WHERE time_ns < $before;
                        """;
                    cmd.Parameters.AddWithValue("$before", commit.PruneBeforeUnixNano);
                    cmd.ExecuteNonQuery();
                }

                tx.Commit();
            }
            catch (SqliteException e)
            {
                throw new GraphStoreException($"Cannot write the graph store {_path}: {e.Message}", e);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private void WriteNodes(SqliteTransaction tx, List<NodeVersion> nodes)
    {
        if (nodes.Count == 0)
        {
            return;
        }

        using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO graph_nodes (urn, seq, kind, valid_from, valid_to, last_seen, properties, state)
            VALUES ($urn, $seq, $kind, $from, $to, $last, $properties, $state)
            ON CONFLICT(urn, seq) DO UPDATE SET kind = excluded.kind, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
                last_seen = excluded.last_seen, properties = excluded.properties, state = excluded.state
            """;
        var urn = cmd.Parameters.Add("$urn", SqliteType.Text);
        var seq = cmd.Parameters.Add("$seq", SqliteType.Integer);
        var kind = cmd.Parameters.Add("$kind", SqliteType.Text);
        var from = cmd.Parameters.Add("$from", SqliteType.Integer);
        var to = cmd.Parameters.Add("$to", SqliteType.Integer);
        var last = cmd.Parameters.Add("$last", SqliteType.Integer);
        var properties = cmd.Parameters.Add("$properties", SqliteType.Text);
        var state = cmd.Parameters.Add("$state", SqliteType.Text);
        cmd.Prepare();
        foreach (var v in nodes)
        {
            urn.Value = v.Node.Urn;
            seq.Value = v.Seq;
            kind.Value = v.Node.Kind;
            from.Value = v.Node.ValidFromUnixNano;
            to.Value = (object?)v.Node.ValidToUnixNano ?? DBNull.Value;
            last.Value = v.LastSeenUnixNano;
            properties.Value = StoreRows.PropertiesJson(v.Node.Properties);
            state.Value = (object?)v.State ?? DBNull.Value;
            cmd.ExecuteNonQuery();
        }
    }

    private void WriteEdges(SqliteTransaction tx, List<EdgeVersion> edges)
    {
        if (edges.Count == 0)
        {
            return;
        }

        using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO graph_edges (from_urn, to_urn, kind, seq, valid_from, valid_to, last_seen, requests, errors, latency_sum_ms, latency_p95_ms, histogram)
            VALUES ($from, $to, $kind, $seq, $validFrom, $validTo, $last, $requests, $errors, $sum, $p95, $histogram)
            ON CONFLICT(from_urn, to_urn, kind, seq) DO UPDATE SET valid_from = excluded.valid_from, valid_to = excluded.valid_to,
                last_seen = excluded.last_seen, requests = excluded.requests, errors = excluded.errors,
                latency_sum_ms = excluded.latency_sum_ms, latency_p95_ms = excluded.latency_p95_ms, histogram = excluded.histogram
            """;
        var from = cmd.Parameters.Add("$from", SqliteType.Text);
        var to = cmd.Parameters.Add("$to", SqliteType.Text);
        var kind = cmd.Parameters.Add("$kind", SqliteType.Text);
        var seq = cmd.Parameters.Add("$seq", SqliteType.Integer);
        var validFrom = cmd.Parameters.Add("$validFrom", SqliteType.Integer);
        var validTo = cmd.Parameters.Add("$validTo", SqliteType.Integer);
        var last = cmd.Parameters.Add("$last", SqliteType.Integer);
        var requests = cmd.Parameters.Add("$requests", SqliteType.Integer);
        var errors = cmd.Parameters.Add("$errors", SqliteType.Integer);
        var sum = cmd.Parameters.Add("$sum", SqliteType.Real);
        var p95 = cmd.Parameters.Add("$p95", SqliteType.Real);
        var histogram = cmd.Parameters.Add("$histogram", SqliteType.Blob);
        cmd.Prepare();
        foreach (var v in edges)
        {
            var e = v.Edge;
            from.Value = e.From;
            to.Value = e.To;
            kind.Value = StoreRows.KindName(e.Kind);
            seq.Value = v.Seq;
            validFrom.Value = e.ValidFromUnixNano;
            validTo.Value = (object?)e.ValidToUnixNano ?? DBNull.Value;
            last.Value = v.LastSeenUnixNano;
            requests.Value = e.Stats.Requests;
            errors.Value = e.Stats.Errors;
            sum.Value = e.Stats.LatencySumMs;
            p95.Value = e.Stats.LatencyP95Ms;
            histogram.Value = (object?)v.Histogram ?? DBNull.Value;
            cmd.ExecuteNonQuery();
        }
    }

    private void WriteChanges(SqliteTransaction tx, IReadOnlyList<ChangeEvent> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        using var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO graph_changes (urn, kind, time_ns, before, after, description) VALUES ($urn, $kind, $time, $before, $after, $description)
            ON CONFLICT(urn, kind, time_ns, description) DO NOTHING
            """;
        var urn = cmd.Parameters.Add("$urn", SqliteType.Text);
        var kind = cmd.Parameters.Add("$kind", SqliteType.Text);
        var time = cmd.Parameters.Add("$time", SqliteType.Integer);
        var before = cmd.Parameters.Add("$before", SqliteType.Text);
        var after = cmd.Parameters.Add("$after", SqliteType.Text);
        var description = cmd.Parameters.Add("$description", SqliteType.Text);
        cmd.Prepare();
        foreach (var c in changes)
        {
            urn.Value = c.Urn;
            kind.Value = c.Kind;
            time.Value = c.TimeUnixNano;
            before.Value = (object?)c.Before ?? DBNull.Value;
            after.Value = (object?)c.After ?? DBNull.Value;
            description.Value = c.Description;
            cmd.ExecuteNonQuery();
        }
    }
}
