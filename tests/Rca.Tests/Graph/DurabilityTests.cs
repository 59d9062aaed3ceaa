using Autopilot.Rca.Graph;
using Autopilot.Rca.Tests.TestSupport;
using static Autopilot.Rca.Tests.TestSupport.Traces;

namespace Autopilot.Rca.Tests.Graph;

/// <summary>
/// The builder's commits record the log position they cover; batches at or below it are skipped, so a replay of
/// the write-ahead log after a restart never counts a request twice, and pairs waiting at a commit survive it.
/// </summary>
public sealed class DurabilityTests
{
    private static readonly string Frontend = ServiceUrn("frontend");
    private static readonly string Checkout = ServiceUrn("checkout");

    [Fact]
    public void Replay_SameBatchesAgain_CountsNothingTwice()
    {
        using var h = new GraphHarness();
        var batches = Enumerable.Range(1, 3).Select(i => HistoryTests.Pair((ulong)i, T0 + (i * Second), 4).Decode()).ToList();
        foreach (var batch in batches)
        {
            h.Apply(batch);
        }

        for (var i = 0; i < batches.Count; i++)
        {
            h.Replay(i + 1, batches[i]);
        }

        Assert.Equal(3, h.Edge(Frontend, Checkout, EdgeKind.Calls).Stats.Requests);
        Assert.Equal(3, h.Builder.AppliedLsn);
    }

    [Fact]
    public void Restart_AfterACommit_ResumesCountsAndSkipsWhatTheStoreCovers()
    {
        using var h = new GraphHarness();
        var first = HistoryTests.Pair(1, T0, 4).Decode();
        var second = HistoryTests.Pair(2, T0 + Second, 6).Decode();
        h.Apply(first);
        h.Apply(second);
        h.Builder.Flush();
        Assert.Equal(2, h.Builder.DurableLsn);

        h.Restart();

        Assert.Equal(2, h.Builder.DurableLsn);
        var edge = h.Edge(Frontend, Checkout, EdgeKind.Calls);
        Assert.Equal((2L, 10d), (edge.Stats.Requests, edge.Stats.LatencySumMs));

        // The log replays from the store's position: the batches it covers are skipped, later ones count.
        h.Replay(1, first);
        h.Replay(2, second);
        h.Apply(HistoryTests.Pair(3, T0 + (2 * Second), 8));
        edge = h.Edge(Frontend, Checkout, EdgeKind.Calls);
        Assert.Equal((3L, 18d), (edge.Stats.Requests, edge.Stats.LatencySumMs));
        Assert.InRange(edge.Stats.LatencyP95Ms, 8 * 0.9, 8); // the histogram came back with the edge
    }

    [Fact]
    public void Restart_WithoutACommit_LosesNothingTheLogReplays()
    {
        using var h = new GraphHarness();
        var first = HistoryTests.Pair(1, T0, 4).Decode();
        var second = HistoryTests.Pair(2, T0 + Second, 6).Decode();
        h.Apply(first);
        h.Builder.Flush();
        h.Apply(second); // applied in memory only: the process "dies" here

        h.Restart();
        Assert.Equal(1, h.Builder.DurableLsn);
        Assert.Equal(1, h.Edge(Frontend, Checkout, EdgeKind.Calls).Stats.Requests);

        h.Replay(1, first);
        h.Replay(2, second);

        Assert.Equal(2, h.Edge(Frontend, Checkout, EdgeKind.Calls).Stats.Requests);
    }

    [Fact]
    public void Restart_ClientWaitingAtTheCommit_PairsWithItsServerAfterIt()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces().Service("frontend").Span(1, 0x10, 0, 3, "GET", T0, 9));
        h.Builder.Flush();

        h.Restart();
        Assert.Equal(1, h.Builder.PendingSpans);
        h.Apply(new Traces().Service("checkout").Span(1, 0x20, 0x10, 2, "GET", T0 + 1_000_000, 3));

        Assert.Equal((1L, 9d), (h.Edge(Frontend, Checkout, EdgeKind.Calls).Stats.Requests, h.Edge(Frontend, Checkout, EdgeKind.Calls).Stats.LatencySumMs));
        Assert.Equal(0, h.Builder.PendingSpans);
    }

    [Fact]
    public void Restart_DeployBookkeeping_Survives_SoAVersionSeenJustBeforeIsNotANewDeploy()
    {
        using var h = new GraphHarness();
        h.Apply(new Traces().Service("checkout", version: "1").Span(1, 0x10, 0, 2, "GET", T0, 3));
        h.Apply(new Traces().Service("checkout", version: "2").Span(2, 0x11, 0, 2, "GET", T0 + Minute, 3));
        h.Builder.Flush();

        h.Restart();
        h.Apply(new Traces().Service("checkout", version: "1").Span(3, 0x12, 0, 2, "GET", T0 + (2 * Minute), 3));

        // v1 was seen 2 minutes ago: still the same rollout, as it would have been without the restart.
        Assert.Single(h.Graph.Changes([Checkout], 0, long.MaxValue));
        Assert.Equal("2", h.Graph.Node(Checkout)!.Properties["service.version"]);
    }

    [Fact]
    public void Restart_ClosedAndReopenedVersions_KeepTheirNumbers()
    {
        using var h = new GraphHarness();
        h.Apply(HistoryTests.Pair(1, T0, 4));
        h.Apply(HistoryTests.Pair(2, T0 + (3 * 60 * Minute), 5));
        h.Builder.Flush();
        h.Restart();
        h.Apply(HistoryTests.Pair(3, T0 + (3 * 60 * Minute) + Second, 6));
        h.Builder.Flush();
        h.Restart();

        Assert.Equal(2, h.Graph.EdgeVersionCount);
        Assert.Equal(1, h.Edge(Frontend, Checkout, EdgeKind.Calls, at: T0).Stats.Requests);
        Assert.Equal(2, h.Edge(Frontend, Checkout, EdgeKind.Calls).Stats.Requests);
    }
}
