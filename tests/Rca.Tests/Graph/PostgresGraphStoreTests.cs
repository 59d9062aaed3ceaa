using Autopilot.Engines.Tests.TestSupport;
using Autopilot.Rca.Graph;
using Npgsql;

namespace Autopilot.Rca.Tests.Graph;

/// <summary>The shared graph store contract on a real PostgreSQL (one database for this class, emptied before each test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresGraphStoreTests : GraphStoreTests
{
    private readonly string _connectionString;

    public PostgresGraphStoreTests(PostgresServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _connectionString = server.Database(nameof(PostgresGraphStoreTests));
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand("""
            DO $$ BEGIN
              IF EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'autopilot' AND tablename = 'graph_state') THEN
                TRUNCATE autopilot.graph_state, autopilot.graph_nodes, autopilot.graph_edges, autopilot.graph_changes;
              END IF;
            END $$;
            """, connection);
        cmd.ExecuteNonQuery();
    }

    protected override IGraphStore OpenStore() => new PostgresGraphStore(_connectionString);

    [Fact]
    public void Constructor_NoServerListening_ThrowsNamingTheServer()
    {
        var e = Assert.Throws<GraphStoreException>(() => new PostgresGraphStore("Host=127.0.0.1;Port=1;Username=postgres;Database=nowhere;Timeout=2"));

        Assert.Contains("127.0.0.1:1", e.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot reach", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownDatabase_ThrowsNamingIt()
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Database = "no_such_graph_db" };

        var e = Assert.Throws<GraphStoreException>(() => new PostgresGraphStore(builder.ToString()));

        Assert.Contains("no_such_graph_db", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BesideTheEngineStore_BothUseTheirOwnTables()
    {
        using var engines = new Autopilot.Engines.State.PostgresEngineStore(_connectionString);
        engines.SaveSnapshot(new Autopilot.Engines.State.ShardSnapshot(0, 5, [1]));
        Store.Commit(new GraphCommit(9, [], [], [], null));

        Assert.Equal(9, Store.Load().Lsn);
        Assert.Equal(5, engines.LoadSnapshot(0)!.Lsn);
    }
}
