using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using static Autopilot.Engines.Tests.Anomaly.Engines.AnomalySignals;

namespace Autopilot.Engines.Tests.Anomaly.Engines;

public sealed class SloBurnEngineTests
{
    private static AnomalyOptions Options(double objective = 0.99)
    {
        var options = new AnomalyOptions();
        options.Slos.Add(new SloOptions { Name = "checkout-availability", Urn = Service, Objective = objective });
        options.Validate();
        return options;
    }

    /// <summary>100 spans a minute for <paramref name="minutes"/> minutes; <paramref name="bad"/>(minute) of them fail (half by status, half by HTTP 5xx).</summary>
    private static void Feed(SloBurnEngine engine, EngineContext context, int minutes, Func<int, int> bad, int from = 0)
    {
        for (var m = from; m < minutes; m++)
        {
            var failing = bad(m);
            for (var k = 0; k < 100; k++)
            {
                var isBad = k < failing;
                engine.OnSignal(Span(Service, "GET", T0 + (m * Minute) + (k * 100_000_000L), 10, error: isBad && k % 2 == 0, code: isBad && k % 2 == 1 ? 503 : 200), context);
            }

            Advance(engine, context, T0 + ((m + 1) * Minute));
        }
    }

    [Fact]
    public void Of_KnownCounts_IsBadRatioOverBudget()
    {
        Assert.Equal(0.15 / (1 - 0.99), BurnRate.Of(15, 100, 0.99));
        Assert.Equal(1.0, BurnRate.Of(1, 1000, 0.999), 12);
        Assert.Equal(0.0, BurnRate.Of(0, 0, 0.999));
        Assert.Equal(14.4 * (1.0 / (30 * 24)), BurnRate.BudgetConsumed(14.4, TimeSpan.FromHours(1), TimeSpan.FromDays(30)), 12); // 2 % of the budget
        Assert.Throws<ArgumentOutOfRangeException>(() => BurnRate.Of(2, 1, 0.99));
        Assert.Throws<ArgumentOutOfRangeException>(() => BurnRate.Of(0, 1, 1));
    }

    [Fact]
    public void Fires_OnlyWhenBothWindowsExceedFactor()
    {
        var page = BurnRate.StandardPolicies[0];

        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), 14.4), (page.LongWindow, page.ShortWindow, page.Factor));
        Assert.True(BurnRate.Fires(page, 15, 15));
        Assert.False(BurnRate.Fires(page, 15, 14.4));
        Assert.False(BurnRate.Fires(page, 14.4, 100));
        Assert.Equal([14.4, 6, 1], BurnRate.StandardPolicies.Select(p => p.Factor));
    }

    [Fact]
    public void OnWatermark_BurnAbove14_4_FiresEveryPairOnceWithExactBurnRates()
    {
        var engine = new SloBurnEngine(Options());
        var context = EngineContext.Detached();

        Feed(engine, context, 60, _ => 15);

        Assert.Equal(["checkout-availability 1h/5m", "checkout-availability 6h/30m", "checkout-availability 3d/6h"],
            context.Captured.Select(f => f.Evidence[0].Reference.Split(' ')[0] + " " + PolicyOf(f)));
        var page = context.Captured[0];
        Assert.Equal("slo.burn", page.Kind);
        Assert.Equal(FindingSeverity.Critical, page.Severity);
        Assert.Equal(FindingSeverity.Warning, context.Captured[2].Severity);
        Assert.Equal(T0 + Minute, page.TimeUnixNano); // the first closed minute already burns 15x on both windows
        var expected = 15.0 / 100 / (1 - 0.99);
        Assert.Equal(expected, page.Evidence[0].Observed);
        Assert.Equal(expected, page.Evidence[1].Observed);
        Assert.Equal(14.4, page.Evidence[0].Expected);
        Assert.Equal("15/100 bad", page.Evidence[0].Detail);
        Assert.Equal(BurnRate.BudgetConsumed(expected, TimeSpan.FromHours(1), TimeSpan.FromDays(30)), page.Evidence[2].Observed);
        Assert.Equal((900L, 6000L), engine.Counts("checkout-availability", Service, T0 + (60 * Minute), 60));
    }

    [Fact]
    public void OnWatermark_PublishesWhereTheTargetStands_OnTheStatusBoard()
    {
        var engine = new SloBurnEngine(Options());
        var board = new SloStatusBoard();
        var context = EngineContext.Detached(sloStatus: board);

        // 50 healthy minutes, then 10 minutes with 20 % failing.
        Feed(engine, context, 60, m => m < 50 ? 0 : 20);

        var status = Assert.Single(board.Snapshot());
        Assert.Equal(("checkout-availability", Service, 0.99), (status.Slo, status.Urn, status.Objective));
        Assert.Equal(T0 + (60 * Minute), status.AsOfUnixNano);
        Assert.Equal(["5m", "30m", "1h", "6h", "3d"], status.Windows.Select(w => w.Window));
        Assert.Equal((100L, 500L), (status.Windows[0].Bad, status.Windows[0].Total));
        Assert.Equal(20.0, status.Windows[0].BurnRate, 9);
        Assert.Equal((200L, 3000L), (status.Windows[1].Bad, status.Windows[1].Total));
        Assert.Equal((200L, 6000L), (status.Windows[2].Bad, status.Windows[2].Total));
        Assert.Equal(200.0 / 6000 / 0.01, status.Windows[2].BurnRate, 9);
        // 30m burns 6.7x but 6h only 3.3x, so 6h/30m (6x) holds off; 3d and 6h both burn 3.3x > 1: the ticket fires.
        Assert.Equal(["3d/6h"], status.Firing);
        Assert.Equal(BurnRate.BudgetConsumed(200.0 / 6000 / 0.01, TimeSpan.FromDays(3), TimeSpan.FromDays(30)), status.BudgetConsumed3d, 9);
        Assert.Same(status, board.Snapshot(Service).Single());
        Assert.Empty(board.Snapshot("another-slo"));
    }

    private static string PolicyOf(Finding f) => f.Evidence[0].Reference.Split(' ')[1] + "/" + f.Evidence[1].Reference.Split(' ')[1];

    [Fact]
    public void OnWatermark_BurnJustBelow14_4_DoesNotPage()
    {
        var engine = new SloBurnEngine(Options());
        var context = EngineContext.Detached();

        Feed(engine, context, 60, _ => 14); // burn 14: pages at 6x and tickets at 1x, not at 14.4x

        Assert.Equal(["6h/30m", "3d/6h"], context.Captured.Select(PolicyOf));
    }

    [Fact]
    public void OnWatermark_ShortBurstWithinQuietHour_LongWindowGatesThePage()
    {
        var engine = new SloBurnEngine(Options());
        var context = EngineContext.Detached();

        Feed(engine, context, 60, m => m >= 55 ? 100 : 0); // 5m burns 100x, 1h only 500/6000/0.01 = 8.3x

        Assert.DoesNotContain(context.Captured, f => PolicyOf(f) == "1h/5m");
        Assert.Contains(context.Captured, f => PolicyOf(f) == "6h/30m");
        Assert.Equal(500.0 / 6000 / (1 - 0.99), BurnRate.Of(500, 6000, 0.99));
    }

    [Fact]
    public void OnWatermark_HealthyService_NoAlert()
    {
        var engine = new SloBurnEngine(Options());
        var context = EngineContext.Detached();

        Feed(engine, context, 120, _ => 0);

        Assert.Empty(context.Captured);
    }

    [Fact]
    public void OnWatermark_RecoversThenBurnsAgain_FiresAgain()
    {
        var engine = new SloBurnEngine(Options());
        var context = EngineContext.Detached();

        Feed(engine, context, 300, m => m is < 10 or >= 200 ? 100 : 0);

        Assert.Equal(2, context.Captured.Count(f => PolicyOf(f) == "1h/5m"));
    }

    [Fact]
    public void ReadState_Restored_AlertsLikeContinuous()
    {
        var continuous = new SloBurnEngine(Options());
        var expected = EngineContext.Detached();
        Feed(continuous, expected, 200, m => m > 100 ? 20 : 0);

        var first = new SloBurnEngine(Options());
        var actual = EngineContext.Detached();
        Feed(first, actual, 120, m => m > 100 ? 20 : 0);
        var second = Restore(first, new SloBurnEngine(Options()));
        Feed(second, actual, 200, m => m > 100 ? 20 : 0, from: 120);

        Assert.NotEmpty(expected.Captured);
        Assert.Equal(Describe(expected.Captured), Describe(actual.Captured));
    }

    [Fact]
    public void OnSignal_MoreTargetsThanCap_EvictsOldest()
    {
        var options = new AnomalyOptions();
        options.SloEvaluation.MaxTargets = 1;
        options.Slos.Add(new SloOptions { Name = "all", Urn = "urn:autopilot:service:*" });
        var engine = new SloBurnEngine(options);
        var context = EngineContext.Detached();

        engine.OnSignal(Span("urn:autopilot:service:a:x", "GET", T0, 1), context);
        engine.OnSignal(Span("urn:autopilot:service:b:y", "GET", T0, 1), context);

        Assert.Equal(1, engine.EvictedTargets);
        Assert.Equal((0L, 1L), engine.Counts("all", "urn:autopilot:service:b:y", T0 + Minute, 5));
    }

    [Theory]
    [InlineData(1.0, "engines.anomaly.slos[0].objective")]
    [InlineData(0.0, "engines.anomaly.slos[0].objective")]
    public void Validate_BadObjective_NamesTheKey(double objective, string key)
    {
        var options = new AnomalyOptions();
        options.Slos.Add(new SloOptions { Name = "s", Urn = Service, Objective = objective });

        Assert.StartsWith(key, Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
    }
}
