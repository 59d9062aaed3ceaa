using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Microsoft.Data.Sqlite;

namespace Autopilot.Engines.Tests.State;

public sealed class SqliteEngineStoreTests : EngineStoreTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-store-" + Guid.NewGuid().ToString("N"));

    protected override IEngineStore OpenStore() => new SqliteEngineStore(Path.Combine(_directory, "engines.db"));

    protected override void WriteAsAnEarlierVersion(Incident incident)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "engines.db"), Pooling = false }.ToString());
        connection.Open();
        using var cmd = connection.CreateCommand();
        // As an earlier version's file: its user_version still 0.
        cmd.CommandText = "INSERT INTO incidents (id, status, updated_ns, json) VALUES ($id, $status, $updated, $json); PRAGMA user_version = 0";
        cmd.Parameters.AddWithValue("$id", incident.Id);
        cmd.Parameters.AddWithValue("$status", incident.Status.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("$updated", incident.UpdatedUnixNano);
        cmd.Parameters.AddWithValue("$json", IncidentJson(incident));
        cmd.ExecuteNonQuery();
    }

    protected override void ForgetFindingOwners()
    {
        using var connection = Connect();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE findings SET incident_id = NULL";
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public void Open_AFileFromBeforeRetention_AddsTheFindingsOwnerColumn_AndDeletesItsOldIncidents()
    {
        // The findings table as versions before retention made it (no incident_id), with a resolved incident.
        Directory.CreateDirectory(_directory);
        using (var connection = Connect())
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE findings (id TEXT PRIMARY KEY, urn TEXT NOT NULL, engine TEXT NOT NULL, kind TEXT NOT NULL, time_ns INTEGER NOT NULL, json TEXT NOT NULL);
                INSERT INTO findings VALUES ('f-old', 'urn:a', 'volume', 'volume.drop', 100, '{"id":"f-old","urn":"urn:a","engine":"volume","kind":"volume.drop","severity":"warning","score":0.5,"windowStartUnixNano":0,"windowEndUnixNano":100,"timeUnixNano":100,"summary":"drop","evidence":[]}');
                """;
            cmd.ExecuteNonQuery();
        }

        using var store = new SqliteEngineStore(Path.Combine(_directory, "engines.db"));
        store.Commit([], [IncidentWrite.Append(new Incident("i-old", IncidentStatus.Resolved, Autopilot.Engines.Findings.FindingSeverity.Warning, 0, 200, 200, ["urn:a"], [], [], [], "old"), [], [])]);
        using (var connection = Connect())
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "INSERT INTO incident_findings (incident_id, finding_id) VALUES ('i-old', 'f-old')"; // listed as before: no owner recorded
            cmd.ExecuteNonQuery();
        }

        Assert.Equal(new StoreDeletion(1, 1), store.DeleteBefore(1_000));
        Assert.Empty(store.GetFindings(["f-old"]));
        Assert.Equal(0, store.AutoVacuum); // an earlier file keeps its mode: its freed pages are reused, not given back
    }

    [Fact]
    public void DeleteBefore_GivesTheDeletedRowsPagesBackToTheFileSystem()
    {
        var path = Path.Combine(_directory, "engines.db");
        using var store = new SqliteEngineStore(path);
        Assert.Equal(2, store.AutoVacuum); // a new file: incremental

        // 400 resolved incidents of 10 findings each (~4 MB), then one open incident that stays.
        var text = new string('x', 800);
        for (var i = 0; i < 400; i++)
        {
            var findings = Enumerable.Range(0, 10)
                .Select(k => new Finding($"f-{i}-{k}", $"urn:autopilot:service:prod:s{i}", "volume", "volume.drop", FindingSeverity.Warning, 0.5, 0, 100 + i, 100 + i, text, []))
                .ToList();
            var incident = new Incident($"i-{i}", IncidentStatus.Resolved, FindingSeverity.Warning, 100 + i, 100 + i, 200 + i, [$"urn:autopilot:service:prod:s{i}"], [.. findings.Select(f => f.Id)], [], [], text);
            store.Commit(findings, [IncidentWrite.Whole(incident)]);
        }

        store.Commit([], [IncidentWrite.Whole(new Incident("i-open", IncidentStatus.Open, FindingSeverity.Warning, 100, 100, 5_000, ["urn:a"], [], [], [], "open"))]);
        var before = OnDisk(path);

        Assert.Equal(new StoreDeletion(400, 4_000), store.DeleteBefore(1_000));

        var after = OnDisk(path);
        Assert.True(after < before / 4, $"{after} bytes on disk after deleting, {before} before");
        Assert.NotNull(store.GetIncident("i-open"));
        store.Commit([], [IncidentWrite.Whole(new Incident("i-later", IncidentStatus.Open, FindingSeverity.Warning, 100, 100, 6_000, ["urn:b"], [], [], [], "later"))]);
        using var reopened = new SqliteEngineStore(path);
        Assert.NotNull(reopened.GetIncident("i-later"));
    }

    /// <summary>The file and its write-ahead log together.</summary>
    private static long OnDisk(string path) =>
        new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "engines.db"), Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
