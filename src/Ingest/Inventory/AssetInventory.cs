using Autopilot.Ingest.Signals;
using Microsoft.Data.Sqlite;

namespace Autopilot.Ingest.Inventory;

/// <summary>
/// The durable asset inventory (SQLite, one file). Each <see cref="Apply"/> writes a batch's counts and
/// the write-ahead-log position they came from in one transaction, so after a crash the log is replayed
/// from exactly that position and no signal is counted twice or lost.
/// </summary>
public sealed class AssetInventory : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly object _gate = new();

    private AssetInventory(SqliteConnection connection, long appliedLsn)
    {
        _connection = connection;
        AppliedLsn = appliedLsn;
    }

    /// <summary>The largest log position whose signals are counted; -1 when none.</summary>
    public long AppliedLsn { get; private set; }

    public static AssetInventory Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS assets (
                urn TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                first_seen INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                spans INTEGER NOT NULL DEFAULT 0,
                metrics INTEGER NOT NULL DEFAULT 0,
                logs INTEGER NOT NULL DEFAULT 0,
                lineage INTEGER NOT NULL DEFAULT 0,
                records INTEGER NOT NULL DEFAULT 0,
                changes INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """);
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM meta WHERE key = 'applied_lsn'";
        var lsn = read.ExecuteScalar() is long l ? l : -1;
        return new AssetInventory(connection, lsn);
    }

    /// <summary>Adds a delta's counts and records its log position, atomically.</summary>
    public void Apply(AssetDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        lock (_gate)
        {
            using var tx = _connection.BeginTransaction();
            using var upsert = _connection.CreateCommand();
            upsert.Transaction = tx;
            upsert.CommandText = """
                INSERT INTO assets (urn, kind, first_seen, last_seen, spans, metrics, logs, lineage, records, changes)
                VALUES ($urn, $kind, $first, $last, $c0, $c1, $c2, $c3, $c4, $c5)
                ON CONFLICT(urn) DO UPDATE SET
                    first_seen = min(first_seen, excluded.first_seen),
                    last_seen = max(last_seen, excluded.last_seen),
                    spans = spans + excluded.spans,
                    metrics = metrics + excluded.metrics,
                    logs = logs + excluded.logs,
                    lineage = lineage + excluded.lineage,
                    records = records + excluded.records,
                    changes = changes + excluded.changes
                """;
            var urn = upsert.Parameters.Add("$urn", SqliteType.Text);
            var kind = upsert.Parameters.Add("$kind", SqliteType.Text);
            var first = upsert.Parameters.Add("$first", SqliteType.Integer);
            var last = upsert.Parameters.Add("$last", SqliteType.Integer);
            var counts = new SqliteParameter[6];
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = upsert.Parameters.Add("$c" + i, SqliteType.Integer);
            }

            foreach (var (key, entry) in delta.Entries)
            {
                urn.Value = key;
                kind.Value = Urn.TryParse(key, out var k, out _, out _) ? k : "unknown";
                first.Value = entry.First;
                last.Value = entry.Last;
                for (var i = 0; i < counts.Length; i++)
                {
                    counts[i].Value = entry.Counts[i];
                }

                upsert.ExecuteNonQuery();
            }

            if (delta.Lsn > AppliedLsn)
            {
                using var meta = _connection.CreateCommand();
                meta.Transaction = tx;
                meta.CommandText = "INSERT INTO meta (key, value) VALUES ('applied_lsn', $lsn) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
                meta.Parameters.AddWithValue("$lsn", delta.Lsn);
                meta.ExecuteNonQuery();
            }

            tx.Commit();
            AppliedLsn = Math.Max(AppliedLsn, delta.Lsn);
        }
    }

    /// <summary>
    /// Assets ordered by URN, optionally of one kind and whose URN contains <paramref name="search"/>, from the first
    /// after <paramref name="afterUrn"/> (the last of the previous page).
    /// </summary>
    public IReadOnlyList<AssetRecord> List(string? kind = null, string? search = null, int limit = 1000, string? afterUrn = null)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = """
                SELECT urn, kind, first_seen, last_seen, spans, metrics, logs, lineage, records, changes FROM assets
                WHERE ($kind IS NULL OR kind = $kind) AND ($search IS NULL OR instr(lower(urn), lower($search)) > 0)
                  AND ($after IS NULL OR urn > $after)
                ORDER BY urn LIMIT $limit
                """;
            cmd.Parameters.AddWithValue("$kind", (object?)kind ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$search", (object?)search ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$after", (object?)afterUrn ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$limit", limit);
            using var reader = cmd.ExecuteReader();
            var result = new List<AssetRecord>();
            while (reader.Read())
            {
                result.Add(Read(reader));
            }

            return result;
        }
    }

    public AssetRecord? Get(string urn)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT urn, kind, first_seen, last_seen, spans, metrics, logs, lineage, records, changes FROM assets WHERE urn = $urn";
            cmd.Parameters.AddWithValue("$urn", urn);
            using var reader = cmd.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private static AssetRecord Read(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetString(1),
        FromUnixNano(r.GetInt64(2)),
        FromUnixNano(r.GetInt64(3)),
        r.GetInt64(4),
        r.GetInt64(5),
        r.GetInt64(6),
        r.GetInt64(7),
        r.GetInt64(8),
        r.GetInt64(9));

    private static DateTimeOffset FromUnixNano(long ns) => DateTimeOffset.UnixEpoch.AddTicks(ns / 100);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
