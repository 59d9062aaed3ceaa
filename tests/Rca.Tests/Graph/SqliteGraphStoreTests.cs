using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Tests.Graph;

public sealed class SqliteGraphStoreTests : GraphStoreTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-graphstore-" + Guid.NewGuid().ToString("N"));

    protected override IGraphStore OpenStore() => new SqliteGraphStore(Path.Combine(_directory, "graph.db"));

    [Fact]
    public void Constructor_PathIsADirectory_ThrowsNamingIt()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "taken.db"));

        var e = Assert.Throws<GraphStoreException>(() => new SqliteGraphStore(Path.Combine(_directory, "taken.db")));

        Assert.Contains("taken.db", e.Message, StringComparison.Ordinal);
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
