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

    protected override void WriteAsAnEarlierVersion(Incident incident)
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand("INSERT INTO autopilot.incidents (id, status, updated_ns, json) VALUES ($1, $2, $3, $4::jsonb)", connection);
        cmd.Parameters.AddWithValue(incident.Id);
        cmd.Parameters.AddWithValue(incident.Status.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue(incident.UpdatedUnixNano);
        cmd.Parameters.AddWithValue(IncidentJson(incident));
        cmd.ExecuteNonQuery();
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
