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
        CREATE TABLE IF NOT EXISTS autopilot.incident_timeline (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, incident_id text NOT NULL, time_ns bigint NOT NULL,
            urn text NOT NULL, kind text NOT NULL, summary text NOT NULL, finding_id text);
        CREATE INDEX IF NOT EXISTS incident_timeline_incident ON autopilot.incident_timeline (incident_id, time_ns, seq);
        CREATE TABLE IF NOT EXISTS autopilot.incident_findings (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, incident_id text NOT NULL, finding_id text NOT NULL);
        CREATE INDEX IF NOT EXISTS incident_findings_incident ON autopilot.incident_findings (incident_id, seq);
        -- The incident that last listed each finding (retention deletes a finding with that one); NULL in rows written before.
        ALTER TABLE autopilot.findings ADD COLUMN IF NOT EXISTS incident_id text;
        -- Incidents written before timelines had tables of their own keep them in their json: move them there, once per
        -- database (version 1 after it; an earlier version's database has no version yet), not as a scan of every
        -- incident at each start.
        CREATE TABLE IF NOT EXISTS autopilot.engine_store_version (version integer NOT NULL);
        DO $$
        BEGIN
        IF NOT EXISTS (SELECT 1 FROM autopilot.engine_store_version WHERE version >= 1) THEN
        INSERT INTO autopilot.incident_timeline (incident_id, time_ns, urn, kind, summary, finding_id)
            SELECT i.id, (e.v->>'timeUnixNano')::bigint, e.v->>'urn', e.v->>'kind', e.v->>'summary', e.v->>'findingId'
            FROM autopilot.incidents i, jsonb_array_elements(i.json->'timeline') WITH ORDINALITY AS e(v, n)
            WHERE jsonb_array_length(i.json->'timeline') > 0 ORDER BY i.id, e.n;
        INSERT INTO autopilot.incident_findings (incident_id, finding_id)
            SELECT i.id, e.v FROM autopilot.incidents i, jsonb_array_elements_text(i.json->'findingIds') WITH ORDINALITY AS e(v, n)
            WHERE jsonb_array_length(i.json->'findingIds') > 0 ORDER BY i.id, e.n;
        UPDATE autopilot.incidents SET json = json || '{"timeline": [], "findingIds": []}'::jsonb
            WHERE jsonb_array_length(json->'timeline') > 0 OR jsonb_array_length(json->'findingIds') > 0;
        DELETE FROM autopilot.engine_store_version;
        INSERT INTO autopilot.engine_store_version (version) VALUES (1);
        END IF;
        END $$;
        """;

    /// <summary>
    /// An incident row with its timeline and finding ids put back into its json: one statement, so one snapshot of the
    /// three tables. Continues with the WHERE clause.
    /// </summary>
    private const string WholeIncident = """
        SELECT (i.json || jsonb_build_object(
            'timeline', (SELECT coalesce(jsonb_agg(jsonb_build_object('timeUnixNano', t.time_ns, 'urn', t.urn, 'kind', t.kind, 'summary', t.summary, 'findingId', t.finding_id) ORDER BY t.time_ns, t.seq), '[]'::jsonb)
                         FROM autopilot.incident_timeline t WHERE t.incident_id = i.id),
            'findingIds', (SELECT coalesce(jsonb_agg(f.finding_id ORDER BY f.seq), '[]'::jsonb) FROM autopilot.incident_findings f WHERE f.incident_id = i.id)))::text
        FROM autopilot.incidents i
        """;

    /// <summary>Incidents one statement of <see cref="DeleteBefore"/> deletes.</summary>
    private const int DeleteBatch = 100;

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

    public void Commit(IReadOnlyList<Finding> findings, IReadOnlyList<IncidentWrite> incidents)
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

            // A growing incident: its row, then only the entries and finding ids it gained, each list as one insert.
            var timeline = new TimelineColumns();
            var listed = (Ids: new List<string>(), Findings: new List<string>());
            foreach (var write in incidents)
            {
                var incident = write.Incident;
                var cmd = new NpgsqlBatchCommand("""
                    INSERT INTO autopilot.incidents (id, status, updated_ns, json) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_ns = excluded.updated_ns, json = excluded.json
                    """);
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = incident.Id });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = StatusName(incident.Status) });
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = incident.UpdatedUnixNano });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(write.Row, EngineJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
                batch.BatchCommands.Add(cmd);
                if (write.IsWhole)
                {
                    var clear = new NpgsqlBatchCommand("DELETE FROM autopilot.incident_timeline WHERE incident_id = $1");
                    clear.Parameters.Add(new NpgsqlParameter<string> { TypedValue = incident.Id });
                    batch.BatchCommands.Add(clear);
                    clear = new NpgsqlBatchCommand("DELETE FROM autopilot.incident_findings WHERE incident_id = $1");
                    clear.Parameters.Add(new NpgsqlParameter<string> { TypedValue = incident.Id });
                    batch.BatchCommands.Add(clear);
                }

                foreach (var e in write.Entries)
                {
                    timeline.Add(incident.Id, e);
                }

                foreach (var finding in write.FindingIds)
                {
                    listed.Ids.Add(incident.Id);
                    listed.Findings.Add(finding);
                }
            }

            if (timeline.Ids.Count > 0)
            {
                var cmd = new NpgsqlBatchCommand("""
                    INSERT INTO autopilot.incident_timeline (incident_id, time_ns, urn, kind, summary, finding_id)
                    SELECT id, time_ns, urn, kind, summary, finding_id
                    FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e(id, time_ns, urn, kind, summary, finding_id, n)
                    ORDER BY n
                    """);
                cmd.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = timeline.Ids });
                cmd.Parameters.Add(new NpgsqlParameter<List<long>> { TypedValue = timeline.Times });
                cmd.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = timeline.Urns });
                cmd.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = timeline.Kinds });
                cmd.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = timeline.Summaries });
                cmd.Parameters.Add(new NpgsqlParameter<List<string?>> { TypedValue = timeline.Findings });
                batch.BatchCommands.Add(cmd);
            }

            if (listed.Ids.Count > 0)
            {
                var cmd = new NpgsqlBatchCommand("""
                    INSERT INTO autopilot.incident_findings (incident_id, finding_id)
                    SELECT id, finding_id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS e(id, finding_id, n) ORDER BY n
                    """);
                cmd.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = listed.Ids });
                cmd.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = listed.Findings });
                batch.BatchCommands.Add(cmd);

                // The incident that last listed each finding: retention deletes a finding with that one.
                var owner = new NpgsqlBatchCommand("""
                    UPDATE autopilot.findings f SET incident_id = e.id FROM unnest($1::text[], $2::text[]) AS e(id, finding_id) WHERE f.id = e.finding_id
                    """);
                owner.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = listed.Ids });
                owner.Parameters.Add(new NpgsqlParameter<List<string>> { TypedValue = listed.Findings });
                batch.BatchCommands.Add(owner);
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
                  AND ($6::bigint IS NULL OR time_ns > $6 OR (time_ns = $6 AND id > $7::text))
                  AND ($8::text IS NULL OR incident_id IS DISTINCT FROM $8)
                ORDER BY time_ns, id LIMIT $5
                """, c);
            cmd.Parameters.Add(Nullable(query.From, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(query.To, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(query.Urn, NpgsqlDbType.Text));
            cmd.Parameters.Add(Nullable(query.Engine, NpgsqlDbType.Text));
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Max(0, query.Limit) });
            cmd.Parameters.Add(Nullable(query.After?.TimeUnixNano, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(query.After?.Id, NpgsqlDbType.Text));
            cmd.Parameters.Add(Nullable(query.ExceptIncident, NpgsqlDbType.Text));
            return ReadAll<Finding>(cmd);
        });
    }

    public IReadOnlyList<Finding> GetFindings(IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        return _connection.Run(c =>
        {
            using var cmd = new NpgsqlCommand("SELECT json::text FROM autopilot.findings WHERE id = ANY($1)", c);
            cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ids] });
            return ReadAll<Finding>(cmd);
        });
    }

    public IReadOnlyList<Incident> QueryIncidents(IncidentQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return _connection.Run(c =>
        {
            using var cmd = new NpgsqlCommand(WholeIncident + """

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
            using var cmd = new NpgsqlCommand(WholeIncident + " WHERE id = $1", c);
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

    public StoreDeletion DeleteBefore(long cutoffUnixNano)
    {
        var total = default(StoreDeletion);
        while (true)
        {
            // A batch of incidents resolved before the cutoff, their findings unless a later incident listed one since (a
            // finding repeating long after its incident resolved joins a new one, which becomes its incident_id), their
            // lists and rows: one statement, so one transaction (every part sees the tables as they were before it).
            var batch = _connection.Run(c =>
            {
                using var cmd = new NpgsqlCommand("""
                    WITH doomed AS (
                        SELECT id FROM autopilot.incidents WHERE status = 'resolved' AND updated_ns < $1 ORDER BY updated_ns, id LIMIT $2),
                    findings AS (
                        DELETE FROM autopilot.findings f
                        WHERE f.id IN (SELECT l.finding_id FROM autopilot.incident_findings l WHERE l.incident_id IN (SELECT id FROM doomed))
                          AND (f.incident_id IS NULL OR f.incident_id IN (SELECT id FROM doomed))
                        RETURNING 1),
                    timeline AS (DELETE FROM autopilot.incident_timeline WHERE incident_id IN (SELECT id FROM doomed)),
                    listed AS (DELETE FROM autopilot.incident_findings WHERE incident_id IN (SELECT id FROM doomed)),
                    incidents AS (DELETE FROM autopilot.incidents WHERE id IN (SELECT id FROM doomed) RETURNING 1)
                    SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM findings)
                    """, c);
                cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cutoffUnixNano });
                cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = DeleteBatch });
                using var reader = cmd.ExecuteReader();
                reader.Read();
                return new StoreDeletion(reader.GetInt64(0), reader.GetInt64(1));
            });
            if (batch.Incidents == 0)
            {
                return total;
            }

            total += batch;
        }
    }

    private static List<T> ReadAll<T>(NpgsqlCommand cmd)
    {
        using var reader = cmd.ExecuteReader();
        var result = new List<T>();
        while (reader.Read())
        {
            // The jsonb text as UTF-8 bytes, which is what the reader parses (a string would be turned back into UTF-8 first).
            result.Add(JsonSerializer.Deserialize<T>(reader.GetFieldValue<byte[]>(0), EngineJson.Options)!);
        }

        return result;
    }

    /// <summary>Timeline entries to insert, a column each (sent as arrays).</summary>
    private sealed class TimelineColumns
    {
        public List<string> Ids { get; } = [];

        public List<long> Times { get; } = [];

        public List<string> Urns { get; } = [];

        public List<string> Kinds { get; } = [];

        public List<string> Summaries { get; } = [];

        public List<string?> Findings { get; } = [];

        public void Add(string incident, TimelineEntry entry)
        {
            Ids.Add(incident);
            Times.Add(entry.TimeUnixNano);
            Urns.Add(entry.Urn);
            Kinds.Add(entry.Kind);
            Summaries.Add(entry.Summary);
            Findings.Add(entry.FindingId);
        }
    }
}
