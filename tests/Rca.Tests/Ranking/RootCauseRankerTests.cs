using Autopilot.Engines.Findings;
using Autopilot.Rca.Answers;
using Autopilot.Rca.Graph;
using Autopilot.Rca.Tests.Support;
using static Autopilot.Rca.Tests.Support.Scenario;

namespace Autopilot.Rca.Tests.Ranking;

public sealed class RootCauseRankerTests
{
    private static readonly string Frontend = Service("frontend");
    private static readonly string Checkout = Service("checkout");
    private static readonly string Payments = Service("payments");

    [Fact]
    public void Rank_UpstreamRootBeatsItsDownstreamSymptoms()
    {
        using var world = new Scenario();
        world.Calls(Frontend, Checkout).Calls(Checkout, Payments);
        world.Finding(Payments, "dq.error_rate", FindingSeverity.Critical, 0.6, 0);
        world.Finding(Checkout, "dq.error_rate", FindingSeverity.Critical, 0.5, 1);
        world.Finding(Frontend, "anomaly.latency", FindingSeverity.Warning, 0.7, 2);
        var id = world.Incident();

        var analysis = world.Analyzer().AnalyzeIncident(id)!;

        var suspects = analysis.Ranking.Suspects;
        Assert.Equal([Payments, Checkout, Frontend], suspects.Select(s => s.Urn).Take(3));
        Assert.True(suspects[0].Confidence > 2 * suspects[1].Confidence, $"top {suspects[0].Confidence}, runner-up {suspects[1].Confidence}");
        Assert.Contains(suspects[0].Reasons, r => r.Contains("upstream (in the fault direction) of 2 anomalous asset(s)", StringComparison.Ordinal));
        Assert.Contains(suspects[0].Reasons, r => r.StartsWith("earliest onset", StringComparison.Ordinal));
        Assert.True(analysis.Ranking.UsedGraph);
        Assert.Equal([Checkout, Frontend], analysis.BlastRadius);
    }

    [Fact]
    public void Rank_DeployRightBeforeOnset_WinsOverTheUpstreamService()
    {
        // Same findings with and without the deploy: the deploy alone changes the verdict.
        static IReadOnlyList<string> Ranked(bool deploy)
        {
            using var world = new Scenario();
            world.Calls(Checkout, Payments);
            world.Finding(Payments, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
            world.Finding(Checkout, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
            if (deploy)
            {
                world.Change(Checkout, "deploy", -2);
            }

            return [.. world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects.Select(s => s.Urn)];
        }

        Assert.Equal(Payments, Ranked(deploy: false)[0]);
        Assert.Equal(Checkout, Ranked(deploy: true)[0]);
    }

    [Fact]
    public async Task Explain_DeployBeforeErrorBurst_RecommendsRollbackOfThatService()
    {
        using var world = new Scenario();
        world.Calls(Frontend, Checkout);
        world.Change(Checkout, "deploy", -3, "2.3.0", "2.4.0");
        world.Finding(Checkout, "dq.error_rate", FindingSeverity.Critical, 0.4, 0);
        world.Finding(Frontend, "dq.error_rate", FindingSeverity.Warning, 0.1, 1);

        var answer = (await world.Analyzer().ExplainIncidentAsync(world.Incident()))!;

        Assert.Equal(Checkout, answer.RootCauses[0].Urn);
        var action = answer.Actions[0];
        Assert.Equal(ActionType.Rollback, action.Action);
        Assert.Equal(Checkout, action.Target);
        Assert.Contains("to 2.3.0", action.Rationale, StringComparison.Ordinal);
        Assert.Equal("medium", action.Risk);
        Assert.Contains(answer.RootCauses[0].Evidence, e => e.Type == "change");
        Assert.Contains(answer.Timeline, t => t.Kind == "change.deploy" && t.Urn == Checkout);
        Assert.True(answer.Timeline.Zip(answer.Timeline.Skip(1)).All(p => p.First.TimeUnixNano <= p.Second.TimeUnixNano), "timeline in time order");
        Assert.Equal("rules", answer.Explainer);
        Assert.Contains("roll back", answer.StakeholderUpdate, StringComparison.Ordinal);
    }

    [Fact]
    public void Rank_SharedDependencyWithoutFindings_IsTheTopCandidate()
    {
        using var world = new Scenario();
        var db = Dataset("orders");
        var (a, b, c, healthy) = (Service("a"), Service("b"), Service("c"), Service("reporting"));
        world.Edge(a, db, EdgeKind.Reads).Edge(b, db, EdgeKind.Reads).Edge(c, db, EdgeKind.Reads).Edge(healthy, db, EdgeKind.Reads);
        world.Finding(a, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        world.Finding(b, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        world.Finding(c, "dq.error_rate", FindingSeverity.Critical, 0.5, 0.5);

        var top = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects[0];

        Assert.Equal(db, top.Urn);
        Assert.True(top.Inferred);
        Assert.Empty(top.Findings);
        Assert.Contains(top.Reasons, r => r.Contains("no finding of its own, but 3 of its 4 direct dependents are anomalous", StringComparison.Ordinal));
    }

    [Fact]
    public void Rank_OneFailingCallerDoesNotImplicateItsHealthyDependency()
    {
        using var world = new Scenario();
        var cache = Service("cache");
        world.Calls(Checkout, cache).Calls(Checkout, Payments);
        world.Finding(Checkout, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);

        var suspects = world.Analyzer().AnalyzeIncident(world.Incident())!.Ranking.Suspects;

        Assert.Equal([Checkout], suspects.Select(s => s.Urn));
        Assert.Contains(suspects[0].Reasons, r => r == "its 2 dependencies show no anomaly");
    }

    [Fact]
    public async Task Rank_StaleInputDataset_IsTheRootAndItsStuckWriterIsRestarted()
    {
        using var world = new Scenario();
        var (raw, daily, report, loader, aggregate) = (Dataset("raw_orders"), Dataset("daily_orders"), Service("reporting"), Job("loader"), Job("aggregate"));
        world.Edge(loader, raw, EdgeKind.Outputs).Edge(raw, aggregate, EdgeKind.InputOf).Edge(aggregate, daily, EdgeKind.Outputs).Edge(report, daily, EdgeKind.Reads);
        world.Finding(raw, "freshness.stale", FindingSeverity.Warning, 3, -20, "raw_orders not updated for 40 min (expected every 10 min)");
        world.Finding(daily, "volume.drop", FindingSeverity.Warning, 6, -5);
        world.Finding(report, "dq.error_rate", FindingSeverity.Critical, 0.3, 0);

        var answer = (await world.Analyzer().ExplainIncidentAsync(world.Incident()))!;

        Assert.Equal(raw, answer.RootCauses[0].Urn);
        Assert.Equal(new RecommendedAction(ActionType.Restart, loader, answer.Actions[0].Rationale, "medium"), answer.Actions[0]);
        Assert.Contains(report, answer.BlastRadius);
        Assert.Equal(aggregate, answer.BlastRadius[0]);
        Assert.Equal([aggregate, daily, report], answer.BlastRadius);
    }

    [Fact]
    public void Confidence_AmbiguousCase_IsLowerThanAClearOne()
    {
        // Clear: one upstream service with three findings, well before its dependents.
        using var clearWorld = new Scenario();
        clearWorld.Calls(Frontend, Checkout).Calls(Checkout, Payments);
        clearWorld.Finding(Payments, "dq.error_rate", FindingSeverity.Critical, 0.8, 0);
        clearWorld.Finding(Payments, "anomaly.latency", FindingSeverity.Critical, 0.9, 0);
        clearWorld.Finding(Payments, "log.spike", FindingSeverity.Critical, 0.9, 1);
        clearWorld.Finding(Checkout, "dq.error_rate", FindingSeverity.Warning, 0.2, 4);
        clearWorld.Finding(Frontend, "dq.error_rate", FindingSeverity.Warning, 0.1, 6);
        var clear = clearWorld.Analyzer().AnalyzeIncident(clearWorld.Incident())!.Ranking.Suspects;

        // Ambiguous: two unrelated services fail the same way at the same time.
        using var ambiguousWorld = new Scenario();
        ambiguousWorld.Calls(Frontend, Checkout).Calls(Frontend, Payments);
        ambiguousWorld.Finding(Checkout, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        ambiguousWorld.Finding(Payments, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        var ambiguous = ambiguousWorld.Analyzer().AnalyzeIncident(ambiguousWorld.Incident())!.Ranking.Suspects;

        Assert.Equal(Payments, clear[0].Urn);
        Assert.InRange(clear[0].Confidence, 0.6, 0.95);
        Assert.InRange(ambiguous[0].Confidence, 0.05, 0.5);
        Assert.Equal(ambiguous[0].Confidence, ambiguous[1].Confidence);
        Assert.True(clear[0].Confidence > ambiguous[0].Confidence + 0.2, $"clear {clear[0].Confidence} vs ambiguous {ambiguous[0].Confidence}");
    }

    [Fact]
    public async Task Rank_WithoutAGraph_FallsBackToOnsetAndStrength()
    {
        using var world = new Scenario();
        world.Finding(Checkout, "dq.error_rate", FindingSeverity.Warning, 0.1, 3);
        world.Finding(Payments, "dq.error_rate", FindingSeverity.Critical, 0.6, 0);
        world.Finding(Frontend, "anomaly.latency", FindingSeverity.Critical, 0.9, 5);

        var analyzer = world.Analyzer();
        var analysis = analyzer.AnalyzeIncident(world.Incident())!;
        var answer = (await analyzer.ExplainIncidentAsync("inc-test"))!;

        Assert.False(analysis.Ranking.UsedGraph);
        Assert.Equal([Payments, Frontend, Checkout], analysis.Ranking.Suspects.Select(s => s.Urn));
        Assert.DoesNotContain(analysis.Ranking.Suspects[0].Reasons, r => r.Contains("random walk", StringComparison.Ordinal));
        Assert.Contains(answer.NextChecks, c => c.StartsWith("no asset graph", StringComparison.Ordinal));
        Assert.Equal([Checkout, Frontend], answer.BlastRadius.Order(StringComparer.Ordinal));
        Assert.True(answer.RootCauses.Zip(answer.RootCauses.Skip(1)).All(p => p.First.Score >= p.Second.Score), "scores descend");
        Assert.All(answer.RootCauses, c => Assert.InRange(c.Score, 0, 0.95));
    }

    [Fact]
    public async Task Analyze_Window_AroundASymptom_TakesOnlyFindingsNearIt()
    {
        using var world = new Scenario();
        var elsewhere = Service("billing");
        world.Calls(Checkout, Payments);
        world.Finding(Payments, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        world.Finding(Checkout, "dq.error_rate", FindingSeverity.Critical, 0.5, 1);
        world.Finding(elsewhere, "dq.error_rate", FindingSeverity.Critical, 0.9, -1);
        world.CommitFindings();
        var analyzer = world.Analyzer();

        var around = await analyzer.AnalyzeWindowAsync(At(-10), At(10), Checkout);
        var everything = await analyzer.AnalyzeWindowAsync(At(-10), At(10));

        Assert.Null(around.IncidentId);
        Assert.Equal(Payments, around.RootCauses[0].Urn);
        Assert.DoesNotContain(around.RootCauses, c => c.Urn == elsewhere);
        Assert.Contains(everything.RootCauses, c => c.Urn == elsewhere);
        Assert.Contains("around " + Checkout, around.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_EmptyWindow_SaysThereIsNothingToExplain()
    {
        using var world = new Scenario();

        var answer = await world.Analyzer().AnalyzeWindowAsync(At(0), At(10));

        Assert.Empty(answer.RootCauses);
        Assert.Empty(answer.Actions);
        Assert.Contains("no findings, nothing to explain", answer.Summary, StringComparison.Ordinal);
    }
}
