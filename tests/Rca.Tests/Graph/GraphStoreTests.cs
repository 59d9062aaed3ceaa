using System.Text.Json;
using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Tests.Graph;

/// <summary>
/// The contract of <see cref="IGraphStore"/>, run against every implementation (one derived class each).
/// Records hold dictionaries and arrays, which compare by reference, so results are compared as JSON text.
/// </summary>
public abstract class GraphStoreTests : IDisposable
{
    private const long T0 = 1_767_225_600_000_000_000;
    private const long Hour = 3_600_000_000_000;
    private readonly List<IGraphStore> _opened = [];
    private IGraphStore? _store;

    protected IGraphStore Store => _store ??= Track(OpenStore());

    [Fact]
    public void Load_NothingWritten_IsEmptyAtPositionMinusOne()
    {
        var content = Store.Load();

        Assert.Equal(-1, content.Lsn);
        Assert.Empty(content.Nodes);
        Assert.Empty(content.Edges);
        Assert.Empty(content.Changes);
        Assert.Null(content.BuilderState);
    }

    [Fact]
    public void Commit_ThenLoad_ReturnsVersionsChangesStateAndPosition()
    {
        var commit = new GraphCommit(
            42,
            [
                new NodeVersion(new GraphNode("urn:a", "service", T0, T0 + Hour, Props(("service.version", "1"))), 0, T0 + 10),
                new NodeVersion(new GraphNode("urn:a", "service", T0 + Hour, null, Props(("service.version", "2"), ("virtual", "true"))), 1, T0 + (2 * Hour), "{\"versions\":{\"2\":5}}"),
                new NodeVersion(new GraphNode("urn:b", "dataset", T0, null, Props()), 0, T0),
            ],
            [
                new EdgeVersion(new GraphEdge("urn:a", "urn:b", EdgeKind.Writes, T0, T0 + 5, new EdgeStats(10, 2, 123.5, 17.25)), 0, T0 + 4, [1, 2, 3]),
                new EdgeVersion(new GraphEdge("urn:a", "urn:b", EdgeKind.Writes, T0 + Hour, null, new EdgeStats(1, 0, 3, 3)), 1, T0 + Hour, null),
                new EdgeVersion(new GraphEdge("urn:b", "urn:a", EdgeKind.DerivesFrom, T0, null, EdgeStats.None), 0, T0),
            ],
            [
                new ChangeEvent("urn:a", "deploy", T0 + Hour, "1", "2", "a 1 → 2"),
                new ChangeEvent("urn:b", "lifecycle", T0 + 3, null, "DROP", "b DROP"),
            ],
            [9, 8, 7]);

        Store.Commit(commit);
        var content = Store.Load();

        Assert.Equal(42, content.Lsn);
        Assert.Equal([9, 8, 7], content.BuilderState);
        Assert.Equal(Json(commit.Nodes.OrderBy(n => n.Node.Urn).ThenBy(n => n.Seq).Select(Comparable)), Json(content.Nodes.Select(Comparable)));
        Assert.Equal(Json(commit.Edges.OrderBy(e => e.Edge.From).ThenBy(e => e.Edge.To).ThenBy(e => e.Edge.Kind.ToString()).ThenBy(e => e.Seq)), Json(content.Edges));
        Assert.Equal(Json(commit.Changes.OrderBy(c => c.TimeUnixNano)), Json(content.Changes));
    }

    [Fact]
    public void Commit_SameVersionAgain_ReplacesIt_AndTheSameChangeIsKeptOnce()
    {
        var change = new ChangeEvent("urn:a", "schema", T0, "f1", "f2", "a schema changed");
        Store.Commit(new GraphCommit(1, [Node("urn:a", 0, null)], [Edge(0, null, 1)], [change], null));
        Store.Commit(new GraphCommit(2, [Node("urn:a", 0, T0 + 9)], [Edge(0, T0 + 9, 5)], [change], [1]));

        var content = Store.Load();

        Assert.Equal(2, content.Lsn);
        Assert.Equal(T0 + 9, Assert.Single(content.Nodes).Node.ValidToUnixNano);
        var edge = Assert.Single(content.Edges);
        Assert.Equal((5L, T0 + 9), (edge.Edge.Stats.Requests, edge.Edge.ValidToUnixNano));
        Assert.Single(content.Changes);
    }

    [Fact]
    public void Commit_RepeatedRowsInOneCommit_TheLastOneWins()
    {
        Store.Commit(new GraphCommit(3, [Node("urn:a", 0, null), Node("urn:a", 0, T0 + 1)], [Edge(0, null, 1), Edge(0, null, 2)], [], null));

        var content = Store.Load();

        Assert.Equal(T0 + 1, Assert.Single(content.Nodes).Node.ValidToUnixNano);
        Assert.Equal(2, Assert.Single(content.Edges).Edge.Stats.Requests);
    }

    [Fact]
    public void Commit_Prune_DeletesOnlyHistoryThatEndedBeforeTheCut()
    {
        Store.Commit(new GraphCommit(
            1,
            [Node("urn:a", 0, T0 + 10), Node("urn:a", 1, null), Node("urn:gone", 0, T0 + 5)],
            [Edge(0, T0 + 10, 1), Edge(1, null, 2)],
            [new ChangeEvent("urn:a", "deploy", T0 + 10, "1", "2", "old"), new ChangeEvent("urn:a", "deploy", T0 + Hour, "2", "3", "new")],
            null));

        Store.Commit(new GraphCommit(2, [], [], [], null, PruneBeforeUnixNano: T0 + 100));
        var content = Store.Load();

        var node = Assert.Single(content.Nodes);
        Assert.Equal(("urn:a", 1), (node.Node.Urn, node.Seq));
        Assert.Equal(1, Assert.Single(content.Edges).Seq);
        Assert.Equal("new", Assert.Single(content.Changes).Description);
        Assert.Equal(2, content.Lsn);
    }

    [Fact]
    public void Reopen_KeepsEverything()
    {
        Store.Commit(new GraphCommit(7, [Node("urn:a", 0, null)], [Edge(0, null, 3)], [], [4, 2]));
        _store!.Dispose();
        _opened.Remove(_store);
        _store = null;

        var content = Store.Load();

        Assert.Equal(7, content.Lsn);
        Assert.Equal([4, 2], content.BuilderState);
        Assert.Single(content.Nodes);
        Assert.Equal(3, Assert.Single(content.Edges).Edge.Stats.Requests);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(10_000)]
    public void Commit_ManyEdges_AllComeBack(int count)
    {
        var edges = new List<EdgeVersion>(count);
        for (var i = 0; i < count; i++)
        {
            edges.Add(new EdgeVersion(new GraphEdge($"urn:s{i % 97}", $"urn:t{i}", (EdgeKind)(i % 8), T0 + i, null, new EdgeStats(i, i / 2, i * 1.5, i)), 0, T0 + i, i % 3 == 0 ? [(byte)i] : null));
        }

        Store.Commit(new GraphCommit(count, [], edges, [], null));
        var content = Store.Load();

        Assert.Equal(count, content.Edges.Count);
        Assert.Equal(
            edges.Sum(e => e.Edge.Stats.Requests + e.Edge.Stats.Errors + (e.Histogram?.Length ?? 0)),
            content.Edges.Sum(e => e.Edge.Stats.Requests + e.Edge.Stats.Errors + (e.Histogram?.Length ?? 0)));
        Assert.Equal(Json(edges.OrderBy(e => e.Edge.From, StringComparer.Ordinal).ThenBy(e => e.Edge.To, StringComparer.Ordinal)),
            Json(content.Edges.OrderBy(e => e.Edge.From, StringComparer.Ordinal).ThenBy(e => e.Edge.To, StringComparer.Ordinal)));
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract IGraphStore OpenStore();

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var store in _opened)
            {
                store.Dispose();
            }
        }
    }

    private IGraphStore Track(IGraphStore store)
    {
        _opened.Add(store);
        return store;
    }

    private static Dictionary<string, string> Props(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static NodeVersion Node(string urn, int seq, long? validTo) => new(new GraphNode(urn, "service", T0 + seq, validTo, Props()), seq, T0 + seq);

    private static EdgeVersion Edge(int seq, long? validTo, long requests) =>
        new(new GraphEdge("urn:a", "urn:b", EdgeKind.Calls, T0 + seq, validTo, new EdgeStats(requests, 0, requests, 1)), seq, T0 + seq);

    private static string Json<T>(IEnumerable<T> items) => JsonSerializer.Serialize(items.ToList());

    /// <summary>A node version with its properties in key order (PostgreSQL's jsonb keeps its own order).</summary>
    private static object Comparable(NodeVersion v) => new
    {
        v.Node.Urn,
        v.Node.Kind,
        v.Node.ValidFromUnixNano,
        v.Node.ValidToUnixNano,
        Properties = v.Node.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).ToList(),
        v.Seq,
        v.LastSeenUnixNano,
        v.State,
    };
}
