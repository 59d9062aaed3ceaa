using Autopilot.Host.Hosting;

namespace Autopilot.Host.Tests.Graph;

/// <summary>The graph in SQLite (<c>&lt;data-dir&gt;/graph.db</c>), the default.</summary>
public sealed class SqliteGraphRestartTests : GraphRestartTests
{
    protected override string ServeArguments => string.Empty;

    protected override void ConfigureStore(ServerOptions options)
    {
    }

    [Fact]
    public async Task Serve_DataDirectory_HoldsTheGraphStore()
    {
        using var dataDir = new Hosting.TempDirectory();
        await using (var server = await Ingest.TestServer.StartAsync(dataDirectory: dataDir.Path))
        {
            await GraphApi.PostPairsAsync(server.Http, Engines.SpanFeed.BaseTime(), pairs: 1, seed: 9);
            await Engines.SpanFeed.WaitUntilAsync(async () => await GraphApi.CallsAsync(server.Http) == 1, "one call");
        }

        using var store = new Autopilot.Rca.Graph.SqliteGraphStore(Path.Combine(dataDir.Path, "graph.db"));
        var content = store.Load();
        Assert.Contains(content.Edges, e => e.Edge.From == GraphApi.Frontend && e.Edge.To == GraphApi.Checkout && e.Edge.Stats.Requests == 1);
        Assert.True(content.Lsn >= 0);
    }
}
