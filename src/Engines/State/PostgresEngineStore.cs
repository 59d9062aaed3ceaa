using System.Text.Json;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Npgsql;
using NpgsqlTypes;

namespace Autopilot.Engines.State;

/// <summary>
/// The shared engine store: tables in the <c>autopilot</c> schema of a PostgreSQL database, created when
/// missing. Findings and incidents are kept as <c>jsonb</c> (the <see cref="EngineJson"/> shape) next to the
/// columns the queries filter on. Safe from several threads: each call takes its own pooled connection
/// from one <see cref="NpgsqlDataSource"/>.
/// </summary>
public sealed class PostgresEngineStore : IEngineStore
{
    private const string Schema = """
        CREATE SCHEMA IF NOT EXISTS autopilot;
        CREATE TABLE IF NOT EXISTS autopilot.snapshots (shard integer PRIMARY KEY, lsn bigint NOT NULL, data bytea NOT NULL);
        CREATE TABLE IF NOT EXISTS autopilot.findings (
            id text PRIMARY KEY, urn text NOT NULL, engine text NOT NULL, kind text NOT NULL,
            time_ns bigint NOT NULL, json jsonb NOT NULL);
        CREATE INDEX IF NOT EXISTS findings_time ON autopilot.findings (time_ns);
        CREATE INDEX IF NOT EXISTS findings_urn_time ON autopilot.findings (urn, time_ns);
        CREATE TABLE IF NOT EXISTS autopilot.incidents (
            id text PRIMARY KEY, status text NOT NULL, updated_ns bigint NOT NULL, json jsonb NOT NULL);
        CREATE INDEX IF NOT EXISTS incidents_updated ON autopilot.incidents (updated_ns);
        """;

    private readonly PostgresStoreConnection _connection;

    /// <summary>Connects, creates the schema and tables if missing; throws <see cref="EngineStoreException"/> naming the server when it cannot.</summary>
    public PostgresEngineStore(string connectionString)
    {
        _connection = new PostgresStoreConnection(connectionString, "engine store", 7281190523, Schema, static (message, cause) => new EngineStoreException(message, cause));
    }

    public ShardSnapshot? LoadSnapshot(int shard) => _connection.Run(c =>
    {
        using var cmd = new NpgsqlCommand("SELECT lsn, data FROM autopilot.snapshots WHERE shard = $1", c);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? new ShardSnapshot(shard, reader.GetInt64(0), (byte[])reader[1]) : null;
    });

    public void SaveSnapshot(ShardSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        SaveSnapshot(snapshot.Shard, snapshot.Lsn, snapshot.Data);
    }

    public void SaveSnapshot(int shard, long lsn, ReadOnlyMemory<byte> data)
    {
        _connection.Run(c =>
        {
            using var cmd = new NpgsqlCommand(
                "INSERT INTO autopilot.snapshots (shard, lsn, data) VALUES ($1, $2, $3) ON CONFLICT (shard) DO UPDATE SET lsn = excluded.lsn, data = excluded.data", c);
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = shard });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = lsn });
            cmd.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Bytea });
            return cmd.ExecuteNonQuery();
        });
    }

    public void Commit(IReadOnlyList<Finding> findings, IReadOnlyList<Incident> incidents)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(incidents);
        if (findings.Count == 0 && incidents.Count == 0)
        {
            return;
        }

        _connection.Run(c =>
        {
            // One statement per row, sent together: one round trip and one implicit transaction.
            using var batch = new NpgsqlBatch(c);
            foreach (var f in findings)
            {
                var cmd = new NpgsqlBatchCommand("""
                    INSERT INTO autopilot.findings (id, urn, engine, kind, time_ns, json) VALUES ($1, $2, $3, $4, $5, $6)
                    ON CONFLICT (id) DO UPDATE SET time_ns = excluded.time_ns, json = excluded.json
                    """);
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = f.Id });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = f.Urn });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = f.Engine });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = f.Kind });
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = f.TimeUnixNano });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(f, EngineJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
                batch.BatchCommands.Add(cmd);
            }

            foreach (var incident in incidents)
            {
                var cmd = new NpgsqlBatchCommand("""
                    INSERT INTO autopilot.incidents (id, status, updated_ns, json) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_ns = excluded.updated_ns, json = excluded.json
                    """);
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = incident.Id });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StatusName(incident.Status) });
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = incident.UpdatedUnixNano });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(incident, EngineJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
                batch.BatchCommands.Add(cmd);
            }

            return batch.ExecuteNonQuery();
        });
    }

    public IReadOnlyList<Finding> QueryFindings(FindingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _connection.Run(c =>
        {
            using var cmd = new NpgsqlCommand("""
                SELECT json::text FROM autopilot.findings
                WHERE ($1::bigint IS NULL OR time_ns >= $1) AND ($2::bigint IS NULL OR time_ns <= $2)
                  AND ($3::text IS NULL OR urn = $3) AND ($4::text IS NULL OR engine = $4)
                ORDER BY time_ns, id LIMIT $5
                """, c);
            cmd.Parameters.Add(Nullable(query.From, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(query.To, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(query.Urn, NpgsqlDbType.Text));
            cmd.Parameters.Add(Nullable(query.Engine, NpgsqlDbType.Text));
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, query.Limit) });
            return ReadAll<Finding>(cmd);
        });
    }

    public IReadOnlyList<Incident> QueryIncidents(IncidentQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _connection.Run(c =>
        {
            using var cmd = new NpgsqlCommand("""
                SELECT json::text FROM autopilot.incidents
                WHERE ($1::bigint IS NULL OR updated_ns >= $1) AND ($2::bigint IS NULL OR updated_ns <= $2) AND ($3::text IS NULL OR status = $3)
                  AND ($5::bigint IS NULL OR updated_ns < $5 OR (updated_ns = $5 AND id > $6::text))
                ORDER BY updated_ns DESC, id LIMIT $4
                """, c);
            cmd.Parameters.Add(Nullable(query.From, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(query.To, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(query.Status is { } s ? StatusName(s) : null, NpgsqlDbType.Text));
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, query.Limit) });
            cmd.Parameters.Add(Nullable(query.After?.UpdatedUnixNano, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(query.After?.Id, NpgsqlDbType.Text));
            return ReadAll<Incident>(cmd);
        });
    }

    public Incident? GetIncident(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _connection.Run(c =>
        {
            using var cmd = new NpgsqlCommand("SELECT json::text FROM autopilot.incidents WHERE id = $1", c);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            var rows = ReadAll<Incident>(cmd);
            return rows.Count > 0 ? rows[0] : null;
        });
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The same lowercase names as the SQLite store and the API.</summary>
    private static string StatusName(IncidentStatus status) => status switch
    {
        IncidentStatus.Open => "open",
        IncidentStatus.Acknowledged => "acknowledged",
        IncidentStatus.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown incident status"),
    };

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static List<T> ReadAll<T>(NpgsqlCommand cmd)
    {
        using var reader = cmd.ExecuteReader();
        var result = new List<T>();
        while (reader.Read())
        {
            result.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), EngineJson.Options)!);
        }

        return result;
    }
}
