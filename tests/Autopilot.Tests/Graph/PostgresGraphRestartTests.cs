using Autopilot.Engines.Tests.TestSupport;
using Autopilot.Host.Hosting;

namespace Autopilot.Host.Tests.Graph;

/// <summary>The graph in PostgreSQL (its own tables beside the engine store's), the write-ahead log on disk; a database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresGraphRestartTests : GraphRestartTests
{
    private readonly string _connectionString;

    public PostgresGraphRestartTests(PostgresServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _connectionString = server.Database(nameof(PostgresGraphRestartTests) + "_" + Guid.NewGuid().ToString("N")[..8]);
    }

    protected override string ServeArguments => $" --postgres \"{_connectionString}\"";

    protected override void ConfigureStore(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EngineStoreConnectionString = _connectionString;
    }
}
