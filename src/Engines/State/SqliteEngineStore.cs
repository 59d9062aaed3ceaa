using System.Text.Json;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Microsoft.Data.Sqlite;

namespace Autopilot.Engines.State;

/// <summary>The embedded engine store: one SQLite file (WAL journal), serialized access.</summary>
public sealed class SqliteEngineStore : IEngineStore
{
    /// <summary>
    /// An incident row with its timeline and finding ids put back into its json: one statement, so one snapshot of the
    /// three tables. Continues with the WHERE clause.
    /// </summary>
    private const string WholeIncident = """
        SELECT json_set(i.json,
            '$.timeline', json((SELECT json_group_array(json_object('timeUnixNano', t.time_ns, 'urn', t.urn, 'kind', t.kind, 'summary', t.summary, 'findingId', t.finding_id) ORDER BY t.time_ns, t.seq)
                                FROM incident_timeline t WHERE t.incident_id = i.id)),
            '$.findingIds', json((SELECT json_group_array(f.finding_id ORDER BY f.seq) FROM incident_findings f WHERE f.incident_id = i.id)))
        FROM incidents i
        """;

    /// <summary>The file's <c>user_version</c> once incidents' timelines and finding ids are in tables of their own.</summary>
    private const long TimelineTablesVersion = 1;

    /// <summary>Incidents one transaction of <see cref="DeleteBefore"/> deletes.</summary>
    private const int DeleteBatch = 100;

    private readonly SqliteConnection _connection;
    private readonly object _gate = new();

    public SqliteEngineStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();

        // A new file frees the pages retention empties back to the file system (incremental auto-vacuum can only be chosen
        // before the first table); a file from before keeps reusing them for new rows without shrinking.
        lock (_gate)
        {
            if (Scalar("SELECT count(*) FROM sqlite_master") == 0)
            {
                Execute("PRAGMA auto_vacuum = INCREMENTAL");
            }
        }

        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS snapshots (shard INTEGER PRIMARY KEY, lsn INTEGER NOT NULL, data BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS findings (
                id TEXT PRIMARY KEY, urn TEXT NOT NULL, engine TEXT NOT NULL, kind TEXT NOT NULL,
                time_ns INTEGER NOT NULL, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS findings_time ON findings (time_ns);
            CREATE TABLE IF NOT EXISTS incidents (
                id TEXT PRIMARY KEY, status TEXT NOT NULL, updated_ns INTEGER NOT NULL, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS incidents_updated ON incidents (updated_ns);
            CREATE TABLE IF NOT EXISTS incident_timeline (
                seq INTEGER PRIMARY KEY, incident_id TEXT NOT NULL, time_ns INTEGER NOT NULL, urn TEXT NOT NULL,
                kind TEXT NOT NULL, summary TEXT NOT NULL, finding_id TEXT);
            CREATE INDEX IF NOT EXISTS incident_timeline_incident ON incident_timeline (incident_id, time_ns, seq);
            CREATE TABLE IF NOT EXISTS incident_findings (seq INTEGER PRIMARY KEY, incident_id TEXT NOT NULL, finding_id TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS incident_findings_incident ON incident_findings (incident_id, seq);
            """);

        // The incident that last listed each finding (retention deletes a finding with that incident, not with an older
        // one it was also listed by); NULL in files written before, where a finding goes with any incident listing it.
        lock (_gate)
        {
            if (Scalar("SELECT count(*) FROM pragma_table_info('findings') WHERE name = 'incident_id'") == 0)
            {
                Execute("ALTER TABLE findings ADD COLUMN incident_id TEXT");
            }
        }

        // Incidents written before timelines had tables of their own keep them in their json: move them there, once
        // (the file's user_version says it was done, so later opens do not scan every incident for it).
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            using var version = Command(tx, "PRAGMA user_version");
            if ((long)version.ExecuteScalar()! >= TimelineTablesVersion)
            {
                return;
            }

            using var cmd = Command(tx, $"""
                INSERT INTO incident_timeline (incident_id, time_ns, urn, kind, summary, finding_id)
                    SELECT i.id, json_extract(e.value, '$.timeUnixNano'), json_extract(e.value, '$.urn'), json_extract(e.value, '$.kind'),
                           json_extract(e.value, '$.summary'), json_extract(e.value, '$.findingId')
                    FROM incidents i, json_each(i.json, '$.timeline') e
                    WHERE json_array_length(i.json, '$.timeline') > 0 ORDER BY i.id, e.key;
                INSERT INTO incident_findings (incident_id, finding_id)
                    SELECT i.id, e.value FROM incidents i, json_each(i.json, '$.findingIds') e
                    WHERE json_array_length(i.json, '$.findingIds') > 0 ORDER BY i.id, e.key;
                UPDATE incidents SET json = json_set(json, '$.timeline', json('[]'), '$.findingIds', json('[]'))
                    WHERE json_array_length(json, '$.timeline') > 0 OR json_array_length(json, '$.findingIds') > 0;
                PRAGMA user_version = {TimelineTablesVersion};
                """);
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
    }

    public ShardSnapshot? LoadSnapshot(int shard)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT lsn, data FROM snapshots WHERE shard = $shard";
            cmd.Parameters.AddWithValue("$shard", shard);
            using var reader = cmd.ExecuteReader();
            return reader.Read() ? new ShardSnapshot(shard, reader.GetInt64(0), (byte[])reader[1]) : null;
        }
    }

    public void SaveSnapshot(ShardSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        SaveSnapshot(snapshot.Shard, snapshot.Lsn, snapshot.Data);
    }

    public void SaveSnapshot(int shard, long lsn, ReadOnlyMemory<byte> data)
    {
        lock (_gate)
        {
            // The row gets a zeroed blob of the right length and the bytes are written into it straight from the
            // caller's buffer: binding part of a longer array as a parameter makes Microsoft.Data.Sqlite copy it.
            // One transaction, so nobody ever sees the zeroed blob. shard is the table's rowid.
            using var tx = _connection.BeginTransaction();
            using (var cmd = _connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT INTO snapshots (shard, lsn, data) VALUES ($shard, $lsn, zeroblob($length)) ON CONFLICT(shard) DO UPDATE SET lsn = excluded.lsn, data = excluded.data";
                cmd.Parameters.AddWithValue("$shard", shard);
                cmd.Parameters.AddWithValue("$lsn", lsn);
                cmd.Parameters.AddWithValue("$length", data.Length);
                cmd.ExecuteNonQuery();
            }

            if (data.Length > 0)
            {
                using var blob = new SqliteBlob(_connection, "snapshots", "data", shard);
                if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment))
                {
                    blob.Write(segment.Array!, segment.Offset, segment.Count);
                }
                else
                {
                    blob.Write(data.Span);
                }
            }

            tx.Commit();
        }
    }

    public void Commit(IReadOnlyList<Finding> findings, IReadOnlyList<IncidentWrite> incidents)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(incidents);
        if (findings.Count == 0 && incidents.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            WriteFindings(tx, findings);
            WriteIncidents(tx, incidents);
            tx.Commit();
        }
    }

    public IReadOnlyList<Finding> QueryFindings(FindingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = """
                SELECT json FROM findings
                WHERE ($from IS NULL OR time_ns >= $from) AND ($to IS NULL OR time_ns <= $to)
                  AND ($urn IS NULL OR urn = $urn) AND ($engine IS NULL OR engine = $engine)
                  AND ($after_ns IS NULL OR time_ns > $after_ns OR (time_ns = $after_ns AND id > $after_id))
                  AND ($except IS NULL OR incident_id IS NOT $except)
                ORDER BY time_ns, id LIMIT $limit
                """;
            cmd.Parameters.AddWithValue("$except", (object?)query.ExceptIncident ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$after_ns", (object?)query.After?.TimeUnixNano ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$after_id", (object?)query.After?.Id ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$from", (object?)query.From ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$to", (object?)query.To ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$urn", (object?)query.Urn ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$engine", (object?)query.Engine ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$limit", query.Limit);
            return ReadAll<Finding>(cmd);
        }
    }

    public IReadOnlyList<Finding> GetFindings(IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT json FROM findings WHERE id IN (SELECT value FROM json_each($ids))";
            cmd.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ids));
            return ReadAll<Finding>(cmd);
        }
    }

    public IReadOnlyList<Incident> QueryIncidents(IncidentQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = WholeIncident + """

                WHERE ($from IS NULL OR updated_ns >= $from) AND ($to IS NULL OR updated_ns <= $to) AND ($status IS NULL OR status = $status)
                  AND ($after_ns IS NULL OR updated_ns < $after_ns OR (updated_ns = $after_ns AND id > $after_id))
                ORDER BY updated_ns DESC, id LIMIT $limit
                """;
            cmd.Parameters.AddWithValue("$from", (object?)query.From ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$to", (object?)query.To ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$status", (object?)query.Status?.ToString().ToLowerInvariant() ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$after_ns", (object?)query.After?.UpdatedUnixNano ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$after_id", (object?)query.After?.Id ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$limit", query.Limit);
            return ReadAll<Incident>(cmd);
        }
    }

    public Incident? GetIncident(string id)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = WholeIncident + " WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            return ReadAll<Incident>(cmd).FirstOrDefault();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private static List<T> ReadAll<T>(SqliteCommand cmd)
    {
        using var reader = cmd.ExecuteReader();
        var result = new List<T>();
        while (reader.Read())
        {
            // SQLite keeps the text as UTF-8, which is what the reader parses: read the bytes, not a UTF-16 string of them
            // (which the reader would turn back into UTF-8 first).
            result.Add(JsonSerializer.Deserialize<T>(reader.GetFieldValue<byte[]>(0), EngineJson.Options)!);
        }

        return result;
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>The integer a one-value statement answers (a count, a pragma).</summary>
    private long Scalar(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    private void WriteFindings(SqliteTransaction tx, IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return;
        }

        using var cmd = Command(tx, """
            INSERT INTO findings (id, urn, engine, kind, time_ns, json) VALUES ($id, $urn, $engine, $kind, $time, $json)
            ON CONFLICT(id) DO UPDATE SET time_ns = excluded.time_ns, json = excluded.json
            """);
        var id = cmd.Parameters.Add("$id", SqliteType.Text);
        var urn = cmd.Parameters.Add("$urn", SqliteType.Text);
        var engine = cmd.Parameters.Add("$engine", SqliteType.Text);
        var kind = cmd.Parameters.Add("$kind", SqliteType.Text);
        var time = cmd.Parameters.Add("$time", SqliteType.Integer);
        var json = cmd.Parameters.Add("$json", SqliteType.Text);
        foreach (var f in findings)
        {
            id.Value = f.Id;
            urn.Value = f.Urn;
            engine.Value = f.Engine;
            kind.Value = f.Kind;
            time.Value = f.TimeUnixNano;
            json.Value = JsonSerializer.Serialize(f, EngineJson.Options);
            cmd.ExecuteNonQuery();
        }
    }

    private void WriteIncidents(SqliteTransaction tx, IReadOnlyList<IncidentWrite> incidents)
    {
        if (incidents.Count == 0)
        {
            return;
        }

        using var cmd = Command(tx, """
            INSERT INTO incidents (id, status, updated_ns, json) VALUES ($id, $status, $updated, $json)
            ON CONFLICT(id) DO UPDATE SET status = excluded.status, updated_ns = excluded.updated_ns, json = excluded.json
            """);
        var id = cmd.Parameters.Add("$id", SqliteType.Text);
        var status = cmd.Parameters.Add("$status", SqliteType.Text);
        var updated = cmd.Parameters.Add("$updated", SqliteType.Integer);
        var json = cmd.Parameters.Add("$json", SqliteType.Text);
        using var clear = Command(tx, "DELETE FROM incident_timeline WHERE incident_id = $id; DELETE FROM incident_findings WHERE incident_id = $id");
        var clearId = clear.Parameters.Add("$id", SqliteType.Text);
        using var entry = Command(tx, """
            INSERT INTO incident_timeline (incident_id, time_ns, urn, kind, summary, finding_id) VALUES ($id, $time, $urn, $kind, $summary, $finding)
            """);
        var entryId = entry.Parameters.Add("$id", SqliteType.Text);
        var entryTime = entry.Parameters.Add("$time", SqliteType.Integer);
        var entryUrn = entry.Parameters.Add("$urn", SqliteType.Text);
        var entryKind = entry.Parameters.Add("$kind", SqliteType.Text);
        var entrySummary = entry.Parameters.Add("$summary", SqliteType.Text);
        var entryFinding = entry.Parameters.Add("$finding", SqliteType.Text);
        using var listed = Command(tx, "INSERT INTO incident_findings (incident_id, finding_id) VALUES ($id, $finding); UPDATE findings SET incident_id = $id WHERE id = $finding");
        var listedId = listed.Parameters.Add("$id", SqliteType.Text);
        var listedFinding = listed.Parameters.Add("$finding", SqliteType.Text);
        foreach (var write in incidents)
        {
            var incident = write.Incident;
            id.Value = incident.Id;
            status.Value = incident.Status.ToString().ToLowerInvariant();
            updated.Value = incident.UpdatedUnixNano;
            json.Value = JsonSerializer.Serialize(write.Row, EngineJson.Options);
            cmd.ExecuteNonQuery();
            if (write.IsWhole)
            {
                clearId.Value = incident.Id;
                clear.ExecuteNonQuery();
            }

            entryId.Value = incident.Id;
            foreach (var e in write.Entries)
            {
                entryTime.Value = e.TimeUnixNano;
                entryUrn.Value = e.Urn;
                entryKind.Value = e.Kind;
                entrySummary.Value = e.Summary;
                entryFinding.Value = (object?)e.FindingId ?? DBNull.Value;
                entry.ExecuteNonQuery();
            }

            listedId.Value = incident.Id;
            foreach (var finding in write.FindingIds)
            {
                listedFinding.Value = finding;
                listed.ExecuteNonQuery();
            }
        }
    }

    public StoreDeletion DeleteBefore(long cutoffUnixNano)
    {
        var total = default(StoreDeletion);
        while (true)
        {
            lock (_gate)
            {
                using var tx = _connection.BeginTransaction();
                using var select = Command(tx, "SELECT id FROM incidents WHERE status = 'resolved' AND updated_ns < $cutoff ORDER BY updated_ns, id LIMIT $batch");
                select.Parameters.AddWithValue("$cutoff", cutoffUnixNano);
                select.Parameters.AddWithValue("$batch", DeleteBatch);
                var ids = new List<string>(DeleteBatch);
                using (var reader = select.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        ids.Add(reader.GetString(0));
                    }
                }

                if (ids.Count == 0)
                {
                    tx.Commit();
                    if (total.Incidents > 0)
                    {
                        Reclaim();
                    }

                    return total;
                }

                // Their findings, unless a later incident listed one since (a finding repeating long after its incident
                // resolved joins a new one, which becomes its incident_id), then their lists and rows.
                using var delete = Command(tx, """
                    DELETE FROM findings WHERE id IN (SELECT f.finding_id FROM incident_findings f WHERE f.incident_id IN (SELECT value FROM json_each($ids)))
                        AND (incident_id IS NULL OR incident_id IN (SELECT value FROM json_each($ids)))
                    """);
                delete.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ids));
                var findings = delete.ExecuteNonQuery();
                delete.CommandText = """
                    DELETE FROM incident_timeline WHERE incident_id IN (SELECT value FROM json_each($ids));
                    DELETE FROM incident_findings WHERE incident_id IN (SELECT value FROM json_each($ids));
                    DELETE FROM incidents WHERE id IN (SELECT value FROM json_each($ids));
                    """;
                delete.ExecuteNonQuery();
                tx.Commit();
                total += new StoreDeletion(ids.Count, findings);
            }
        }
    }

    /// <summary>How the file gives back free pages: <c>PRAGMA auto_vacuum</c> (0 none, 1 full, 2 incremental).</summary>
    internal long AutoVacuum
    {
        get
        {
            lock (_gate)
            {
                return Scalar("PRAGMA auto_vacuum");
            }
        }
    }

    /// <summary>
    /// After a deletion: the file's free pages back to the file system (a file with incremental auto-vacuum; nothing
    /// otherwise), and the log checkpointed and truncated so the main file shrinks now rather than at some later checkpoint.
    /// </summary>
    private void Reclaim()
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "PRAGMA incremental_vacuum";
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                // Each step frees a page; reading to the end runs them all.
            }
        }

        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(SqliteTransaction tx, string sql)
    {
        var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }
}
