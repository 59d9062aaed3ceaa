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
    }

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
