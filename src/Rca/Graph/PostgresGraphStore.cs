using Autopilot.Engines.State;
using Autopilot.Rca.Graph.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Autopilot.Rca.Graph;

/// <summary>
/// The shared graph store: tables <c>graph_state</c>, <c>graph_nodes</c>, <c>graph_edges</c> and <c>graph_changes</c>
/// in the <c>autopilot</c> schema of a PostgreSQL database (the engine store's database; created when missing).
/// A commit is one transaction of a few set-based statements (rows passed as arrays and upserted from
/// <c>unnest</c>), so its cost does not grow with round trips. Safe from several threads.
/// </summary>
public sealed class PostgresGraphStore : IGraphStore
{
    private const string Schema = """
        CREATE SCHEMA IF NOT EXISTS autopilot;
        CREATE TABLE IF NOT EXISTS autopilot.graph_state (id integer PRIMARY KEY CHECK (id = 0), lsn bigint NOT NULL, builder_state bytea);
        CREATE TABLE IF NOT EXISTS autopilot.graph_nodes (
            urn text NOT NULL, seq integer NOT NULL, kind text NOT NULL, valid_from bigint NOT NULL, valid_to bigint,
            last_seen bigint NOT NULL, properties jsonb NOT NULL, state text, PRIMARY KEY (urn, seq));
        CREATE TABLE IF NOT EXISTS autopilot.graph_edges (
            from_urn text NOT NULL, to_urn text NOT NULL, kind text NOT NULL, seq integer NOT NULL, valid_from bigint NOT NULL,
            valid_to bigint, last_seen bigint NOT NULL, requests bigint NOT NULL, errors bigint NOT NULL,
            latency_sum_ms double precision NOT NULL, latency_p95_ms double precision NOT NULL, histogram bytea,
            PRIMARY KEY (from_urn, to_urn, kind, seq));
        CREATE TABLE IF NOT EXISTS autopilot.graph_changes (
            urn text NOT NULL, kind text NOT NULL, time_ns bigint NOT NULL, before text, after text, description text NOT NULL,
            PRIMARY KEY (urn, kind, time_ns, description));
        CREATE INDEX IF NOT EXISTS graph_changes_time ON autopilot.graph_changes (time_ns);
        CREATE INDEX IF NOT EXISTS graph_nodes_valid_to ON autopilot.graph_nodes (valid_to);
        CREATE INDEX IF NOT EXISTS graph_edges_valid_to ON autopilot.graph_edges (valid_to);
        """;

    private const string UpsertNodes = """
        INSERT INTO autopilot.graph_nodes (urn, seq, kind, valid_from, valid_to, last_seen, properties, state)
        SELECT u.urn, u.seq, u.kind, u.valid_from, u.valid_to, u.last_seen, u.properties::jsonb, u.state
        FROM unnest($1::text[], $2::integer[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[])
            AS u(urn, seq, kind, valid_from, valid_to, last_seen, properties, state)
        ON CONFLICT (urn, seq) DO UPDATE SET kind = excluded.kind, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
            last_seen = excluded.last_seen, properties = excluded.properties, state = excluded.state
        """;

    private const string UpsertEdges = """
        INSERT INTO autopilot.graph_edges (from_urn, to_urn, kind, seq, valid_from, valid_to, last_seen, requests, errors, latency_sum_ms, latency_p95_ms, histogram)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
            $9::bigint[], $10::double precision[], $11::double precision[], $12::bytea[])
        ON CONFLICT (from_urn, to_urn, kind, seq) DO UPDATE SET valid_from = excluded.valid_from, valid_to = excluded.valid_to,
            last_seen = excluded.last_seen, requests = excluded.requests, errors = excluded.errors,
            latency_sum_ms = excluded.latency_sum_ms, latency_p95_ms = excluded.latency_p95_ms, histogram = excluded.histogram
        """;

    private const string InsertChanges = """
        INSERT INTO autopilot.graph_changes (urn, kind, time_ns, before, after, description)
        SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[])
        ON CONFLICT (urn, kind, time_ns, description) DO NOTHING
        """;

    private static readonly string[] PruneStatements =
    [
        "DELETE FROM autopilot.graph_nodes WHERE valid_to IS NOT NULL AND valid_to < $1",
        "DELETE FROM autopilot.graph_edges WHERE valid_to IS NOT NULL AND valid_to < $1",
        "DELETE FROM autopilot.graph_changes WHERE time_ns < $1",
    ];

    private readonly PostgresStoreConnection _connection;

    /// <summary>Connects and creates the schema and tables when missing; throws <see cref="GraphStoreException"/> naming the server when it cannot.</summary>
    public PostgresGraphStore(string connectionString)
    {
        _connection = new PostgresStoreConnection(connectionString, "graph store", 7281190524, Schema, static (message, cause) => new GraphStoreException(message, cause));
    }

    public GraphStoreContent Load() => _connection.Run(c =>
    {
        long lsn = -1;
        byte[]? state = null;
        using (var cmd = new NpgsqlCommand("SELECT lsn, builder_state FROM autopilot.graph_state WHERE id = 0", c))
        using (var reader = cmd.ExecuteReader())
        {
            if (reader.Read())
            {
                lsn = reader.GetInt64(0);
                state = reader.IsDBNull(1) ? null : (byte[])reader[1];
            }
        }

        var nodes = new List<NodeVersion>();
        using (var cmd = new NpgsqlCommand("SELECT urn, seq, kind, valid_from, valid_to, last_seen, properties::text, state FROM autopilot.graph_nodes ORDER BY urn, seq", c))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                var node = new GraphNode(reader.GetString(0), reader.GetString(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetInt64(4), StoreRows.Properties(reader.GetString(6)));
                nodes.Add(new NodeVersion(node, reader.GetInt32(1), reader.GetInt64(5), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
        }

        var edges = new List<EdgeVersion>();
        using (var cmd = new NpgsqlCommand("""
            SELECT from_urn, to_urn, kind, seq, valid_from, valid_to, last_seen, requests, errors, latency_sum_ms, latency_p95_ms, histogram
            FROM autopilot.graph_edges ORDER BY from_urn, to_urn, kind, seq
            """, c))
        using (var reader = cmd.ExecuteReader())
        {
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
        using (var cmd = new NpgsqlCommand("SELECT urn, kind, time_ns, before, after, description FROM autopilot.graph_changes ORDER BY time_ns, urn", c))
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                changes.Add(new ChangeEvent(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
            }
        }

        return new GraphStoreContent(lsn, nodes, edges, changes, state);
    });

    public void Commit(GraphCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var nodes = StoreRows.DistinctNodes(commit.Nodes);
        var edges = StoreRows.DistinctEdges(commit.Edges);
        var changes = StoreRows.DistinctChanges(commit.Changes);
        _connection.Run(c =>
        {
            using var tx = c.BeginTransaction();
            if (nodes.Count > 0)
            {
                using var cmd = new NpgsqlCommand(UpsertNodes, c, tx);
                cmd.Parameters.Add(Column(nodes, v => v.Node.Urn, NpgsqlDbType.Text));
                cmd.Parameters.Add(Column(nodes, v => v.Seq, NpgsqlDbType.Integer));
                cmd.Parameters.Add(Column(nodes, v => v.Node.Kind, NpgsqlDbType.Text));
                cmd.Parameters.Add(Column(nodes, v => v.Node.ValidFromUnixNano, NpgsqlDbType.Bigint));
                cmd.Parameters.Add(Column(nodes, v => v.Node.ValidToUnixNano, NpgsqlDbType.Bigint));
                cmd.Parameters.Add(Column(nodes, v => v.LastSeenUnixNano, NpgsqlDbType.Bigint));
                cmd.Parameters.Add(Column(nodes, v => StoreRows.PropertiesJson(v.Node.Properties), NpgsqlDbType.Text));
                cmd.Parameters.Add(Column(nodes, v => v.State, NpgsqlDbType.Text));
                cmd.ExecuteNonQuery();
            }

            if (edges.Count > 0)
            {
                using var cmd = new NpgsqlCommand(UpsertEdges, c, tx);
                cmd.Parameters.Add(Column(edges, v => v.Edge.From, NpgsqlDbType.Text));
                cmd.Parameters.Add(Column(edges, v => v.Edge.To, NpgsqlDbType.Text));
                cmd.Parameters.Add(Column(edges, v => StoreRows.KindName(v.Edge.Kind), NpgsqlDbType.Text));
                cmd.Parameters.Add(Column(edges, v => v.Seq, NpgsqlDbType.Integer));
                cmd.Parameters.Add(Column(edges, v => v.Edge.ValidFromUnixNano, NpgsqlDbType.Bigint));
                cmd.Parameters.Add(Column(edges, v => v.Edge.ValidToUnixNano, NpgsqlDbType.Bigint));
                cmd.Parameters.Add(Column(edges, v => v.LastSeenUnixNano, NpgsqlDbType.Bigint));
                cmd.Parameters.Add(Column(edges, v => v.Edge.Stats.Requests, NpgsqlDbType.Bigint));
                cmd.Parameters.Add(Column(edges, v => v.Edge.Stats.Errors, NpgsqlDbType.Bigint));
                cmd.Parameters.Add(Column(edges, v => v.Edge.Stats.LatencySumMs, NpgsqlDbType.Double));
                cmd.Parameters.Add(Column(edges, v => v.Edge.Stats.LatencyP95Ms, NpgsqlDbType.Double));
                cmd.Parameters.Add(Column(edges, v => v.Histogram, NpgsqlDbType.Bytea));
                cmd.ExecuteNonQuery();
            }

            if (changes.Count > 0)
            {
                using var cmd = new NpgsqlCommand(InsertChanges, c, tx);
                cmd.Parameters.Add(Column(changes, v => v.Urn, NpgsqlDbType.Text));
                cmd.Parameters.Add(Column(changes, v => v.Kind, NpgsqlDbType.Text));
                cmd.Parameters.Add(Column(changes, v => v.TimeUnixNano, NpgsqlDbType.Bigint));
                cmd.Parameters.Add(Column(changes, v => v.Before, NpgsqlDbType.Text));
                cmd.Parameters.Add(Column(changes, v => v.After, NpgsqlDbType.Text));
                cmd.Parameters.Add(Column(changes, v => v.Description, NpgsqlDbType.Text));
                cmd.ExecuteNonQuery();
            }

            using (var cmd = new NpgsqlCommand("""
                INSERT INTO autopilot.graph_state (id, lsn, builder_state) VALUES (0, $1, $2)
                ON CONFLICT (id) DO UPDATE SET lsn = excluded.lsn, builder_state = excluded.builder_state
                """, c, tx))
            {
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = commit.Lsn });
                cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)commit.BuilderState ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
                cmd.ExecuteNonQuery();
            }

            if (commit.PruneBeforeUnixNano != long.MinValue)
            {
                // Positional parameters allow one statement per command: three commands in one round trip.
                using var batch = new NpgsqlBatch(c, tx);
                foreach (var sql in PruneStatements)
                {
                    var cmd = new NpgsqlBatchCommand(sql);
                    cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = commit.PruneBeforeUnixNano });
                    batch.BatchCommands.Add(cmd);
                }

                batch.ExecuteNonQuery();
            }

            tx.Commit();
            return 0;
        });
    }

    public void Dispose() => _connection.Dispose();

    private static NpgsqlParameter Column<TRow, TValue>(List<TRow> rows, Func<TRow, TValue> column, NpgsqlDbType type)
    {
        var values = new TValue[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = column(rows[i]);
        }

        return new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };
    }
}
