using Autopilot.Engines.State;

namespace Autopilot.Engines.Tests.State;

public sealed class SqliteEngineStoreTests : EngineStoreTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-store-" + Guid.NewGuid().ToString("N"));

    protected override IEngineStore OpenStore() => new SqliteEngineStore(Path.Combine(_directory, "engines.db"));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
