using Autopilot.Engines.State;
using Autopilot.Engines.Tests.TestSupport;
using Autopilot.Host.Hosting;

namespace Autopilot.Host.Tests.Engines;

/// <summary>Engine state in PostgreSQL, the write-ahead log on disk; each test gets a database of its own.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEngineRestartTests : EngineRestartTests
{
    private readonly string _connectionString;

    public PostgresEngineRestartTests(PostgresServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _connectionString = server.Database(nameof(PostgresEngineRestartTests) + "_" + Guid.NewGuid().ToString("N")[..8]);
    }

    protected override string ServeArguments => $" --postgres \"{_connectionString}\"";

    protected override void ConfigureStore(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EngineStoreConnectionString = _connectionString;
    }

    protected override IEngineStore OpenStore(string dataDirectory) => new PostgresEngineStore(_connectionString);
}
