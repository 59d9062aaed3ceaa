using Autopilot.Engines.State;
using Autopilot.Host.Hosting;

namespace Autopilot.Host.Tests.Engines;

/// <summary>Engine state and the write-ahead log both in the data directory (the default).</summary>
public sealed class SqliteEngineRestartTests : EngineRestartTests
{
    protected override string ServeArguments => string.Empty;

    protected override void ConfigureStore(ServerOptions options)
    {
    }

    protected override IEngineStore OpenStore(string dataDirectory) => new SqliteEngineStore(Path.Combine(dataDirectory, "engines.db"));
}
