using Autopilot.Benchmarks.Rca;
using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Tests.Graph;

public sealed class SyntheticGraphTests
{
    [Fact]
    public void Create_5000By50000_HasExactlyThoseNodesAndEdges_AndIsTheSameForTheSameSeed()
    {
        var graph = SyntheticGraph.Create(5_000, 50_000, seed: 7);
        var again = SyntheticGraph.Create(5_000, 50_000, seed: 7);

        Assert.Equal(5_000, graph.NodeCount);
        Assert.Equal(50_000, graph.EdgeCount);
        Assert.Equal(Fingerprint(graph), Fingerprint(again));
        Assert.NotEqual(Fingerprint(graph), Fingerprint(SyntheticGraph.Create(5_000, 50_000, seed: 8)));
    }

    [Fact]
    public void Create_EdgesJoinTheKindsTheyJoinInLife_AndHistoryHasVersionsAndChanges()
    {
        var graph = SyntheticGraph.Create(500, 3_000, seed: 1);
        var (nodes, edges, changes) = graph.Export();
        var kindOf = nodes.GroupBy(n => n.Urn).ToDictionary(g => g.Key, g => g.First().Kind);

        foreach (var edge in edges)
        {
            var expected = edge.Kind switch
            {
                EdgeKind.Calls => ("service", "service"),
                EdgeKind.Reads or EdgeKind.Writes => ("service", "dataset"),
                EdgeKind.Produces => ("service", "topic"),
                EdgeKind.Consumes => ("topic", "service"),
                EdgeKind.InputOf => ("dataset", "job"),
                EdgeKind.Outputs => ("job", "dataset"),
                _ => ("dataset", "dataset"),
            };
            Assert.Equal(expected, (kindOf[edge.From], kindOf[edge.To]));
        }

        Assert.True(graph.EdgeVersionCount > graph.EdgeCount, "some edges have an earlier, closed version");
        Assert.Contains(changes, c => c.Kind == "deploy");
        Assert.Contains(changes, c => c.Kind == "schema");
        Assert.All(edges.Where(e => e.ValidToUnixNano is null), e => Assert.True(e.ValidFromUnixNano < SyntheticGraph.End));

        // Preferential attachment: the busiest node has far more edges than the average (≈ 12).
        var degree = edges.Where(e => e.ValidToUnixNano is null).SelectMany(e => new[] { e.From, e.To }).GroupBy(u => u).Max(g => g.Count());
        Assert.True(degree > 40, $"busiest node has {degree} edges");
    }

    [Fact]
    public void Create_TooManyEdgesForTheNodes_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticGraph.Create(10, 1_000, seed: 1));
    }

    private static string Fingerprint(AssetGraph graph)
    {
        var (nodes, edges, changes) = graph.Export();
        return string.Join('|', edges.OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal).ThenBy(e => e.Kind).ThenBy(e => e.ValidFromUnixNano)
            .Select(e => $"{e.From}>{e.To}:{e.Kind}:{e.Stats.Requests}:{e.ValidFromUnixNano}")) + nodes.Count + ":" + changes.Count;
    }
}
