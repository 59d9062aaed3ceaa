using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Engines.Tests.TestSupport;
using Npgsql;

namespace Autopilot.Engines.Tests.State;

/// <summary>The shared store contract on a real PostgreSQL (one database for this class, emptied before each test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEngineStoreTests : EngineStoreTests
{
    private readonly string _connectionString;

    public PostgresEngineStoreTests(PostgresServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _connectionString = server.Database(nameof(PostgresEngineStoreTests));
        PostgresServer.Truncate(_connectionString);
    }

    protected override IEngineStore OpenStore() => new PostgresEngineStore(_connectionString);

    private NpgsqlConnection Connect()
    {
        var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private long Scalar(string sql)
    {
        using var connection = Connect();
        using var cmd = new NpgsqlCommand(sql, connection);
        return cmd.ExecuteScalar() is long n ? n : -1;
    }

    // As an earlier version's database: no store version yet, and the incident whole in its json.
    protected override void WriteAsAnEarlierVersion(Incident incident)
    {
        RemoveStoreVersion();
        InsertWholeIncidentRow(incident);
    }

    protected override void ForgetFindingOwners()
    {
        using var connection = Connect();
        using var cmd = new NpgsqlCommand("UPDATE autopilot.findings SET incident_id = NULL", connection);
        cmd.ExecuteNonQuery();
    }

    private void RemoveStoreVersion()
    {
        using var connection = Connect();
        using var cmd = new NpgsqlCommand("DELETE FROM autopilot.engine_store_version", connection);
        cmd.ExecuteNonQuery();
    }

    /// <summary>An incident's row as earlier versions wrote it: its timeline and finding ids inside its json.</summary>
    private void InsertWholeIncidentRow(Incident incident)
    {
        using var connection = Connect();
        using var cmd = new NpgsqlCommand("INSERT INTO autopilot.incidents (id, status, updated_ns, json) VALUES ($1, $2, $3, $4::jsonb)", connection);
        cmd.Parameters.AddWithValue(incident.Id);
        cmd.Parameters.AddWithValue(incident.Status.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue(incident.UpdatedUnixNano);
        cmd.Parameters.AddWithValue(IncidentJson(incident));
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public void Open_AfterTheMoveOfEarlierVersionsIncidents_DoesNotScanIncidentsAgain()
    {
        using (OpenStore())
        {
            // The first open moved what there was (nothing) and set the store version.
        }

        // A row in the earlier versions' shape appearing after that (no version in this database says to look again) is
        // left as it is: the next opens read the version, not every incident.
        InsertWholeIncidentRow(MakeIncident("i-whole", IncidentStatus.Open, 1_000) with { Timeline = [new(1_000, "urn:a", "volume", "drop", "f-1")] });

        using (OpenStore())
        {
        }

        Assert.Equal(0L, Scalar("SELECT count(*) FROM autopilot.incident_timeline WHERE incident_id = 'i-whole'"));
        Assert.Equal(1L, Scalar("SELECT count(*) FROM autopilot.incidents WHERE jsonb_array_length(json->'timeline') = 1"));
        Assert.Equal(1L, Scalar("SELECT max(version)::bigint FROM autopilot.engine_store_version"));

        // With the version gone, as in an earlier version's database, the next open moves it.
        RemoveStoreVersion();
        using (OpenStore())
        {
        }

        Assert.Equal(1L, Scalar("SELECT count(*) FROM autopilot.incident_timeline WHERE incident_id = 'i-whole'"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM autopilot.incidents WHERE jsonb_array_length(json->'timeline') > 0"));
    }

    [Fact]
    public void Constructor_NoServerListening_ThrowsNamingTheServer()
    {
        var e = Assert.Throws<EngineStoreException>(() => new PostgresEngineStore("Host=127.0.0.1;Port=1;Username=postgres;Database=nowhere;Timeout=2"));

        Assert.Contains("127.0.0.1:1", e.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot reach", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownDatabase_ThrowsNamingIt()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(_connectionString) { Database = "no_such_db" };

        var e = Assert.Throws<EngineStoreException>(() => new PostgresEngineStore(builder.ToString()));

        Assert.Contains("no_such_db", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TablesAlreadyExist_OpensTwoStoresAtOnce()
    {
        var stores = Enumerable.Range(0, 4).AsParallel().Select(_ => new PostgresEngineStore(_connectionString)).ToArray();
        foreach (var store in stores)
        {
            store.Dispose();
        }

        Assert.Null(Store.LoadSnapshot(0));
    }
}
