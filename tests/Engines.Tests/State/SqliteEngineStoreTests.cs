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

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
