using Autopilot.Engines.Contracts;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;
using static Autopilot.Engines.Tests.TestSupport.TestSignals;

namespace Autopilot.Engines.Tests.Contracts;

public sealed class ContractEngineTests
{
    private const string Urn = "urn:autopilot:dataset:pg:public.orders";

    private static ContractEngine NewEngine(string yaml = ContractSetTests.Orders) =>
        new(new ContractOptions(), ContractSet.Parse([("orders.yaml", yaml)]));

    private static Signal Rows(long time, double rows) =>
        Record(Urn, "lineage.row_count", time, rows, attributes: Attrs("lineage.direction", "output"));

    [Fact]
    public void OnSignal_SchemaMatches_NoViolation()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();

        engine.OnSignal(Dataset(Urn, At(TimeSpan.FromSeconds(10)), "fp1", "id:BIGINT,email:VARCHAR,extra:TEXT"), ctx);
        engine.OnSignal(Rows(At(TimeSpan.FromSeconds(10)), 500), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);

        Assert.Empty(ctx.Captured);
    }

    [Fact]
    public void OnSignal_RequiredFieldMissingAndRetyped_OneViolationNamingBoth()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();

        engine.OnSignal(Dataset(Urn, At(TimeSpan.FromSeconds(10)), "fp2", "id:VARCHAR,note:TEXT"), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("contract.violation", f.Kind);
        Assert.Equal(Urn, f.Urn);
        Assert.Equal(FindingSeverity.Critical, f.Severity); // tier gold
        Assert.Contains("contract orders", f.Summary, StringComparison.Ordinal);
        Assert.Contains(f.Evidence, e => e.Reference == "schema.id" && e.Detail!.Contains("VARCHAR", StringComparison.Ordinal));
        Assert.Contains(f.Evidence, e => e.Reference == "schema.email" && e.Detail!.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void OnSignal_SameBadSchemaAgain_ReportedOnce()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();

        engine.OnSignal(Dataset(Urn, At(TimeSpan.FromSeconds(10)), "fp2", "id:INT"), ctx);
        engine.OnSignal(Dataset(Urn, At(TimeSpan.FromSeconds(70)), "fp2", "id:INT"), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(2)), ctx);

        Assert.Single(ctx.Captured);
    }

    [Fact]
    public void OnSignal_QualityRulesBroken_ObservedVsExpected()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();

        engine.OnSignal(Rows(At(TimeSpan.FromSeconds(5)), 0), ctx);
        engine.OnSignal(Metric(Urn, "dq.null_count", At(TimeSpan.FromSeconds(5)), 7, Attrs("column", "id")), ctx);
        engine.OnSignal(Metric(Urn, "dq.null_count", At(TimeSpan.FromSeconds(5)), 9, Attrs("column", "note")), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal(2, f.Evidence.Count);
        var rows = Assert.Single(f.Evidence, e => e.Reference == "rowCount > 0");
        Assert.Equal(0, rows.Observed);
        Assert.Equal(0, rows.Expected);
        var nulls = Assert.Single(f.Evidence, e => e.Reference == "nullCount(id) == 0");
        Assert.Equal(7, nulls.Observed);
    }

    [Fact]
    public void OnWatermark_StaleBeyondFreshness_ReportedOncePerEpisode()
    {
        var engine = NewEngine("urn: " + Urn + "\nsla: { freshness: 10m }\n");
        var ctx = EngineContext.Detached();

        engine.OnSignal(Rows(At(TimeSpan.FromSeconds(30)), 10), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(10)), ctx);
        Assert.Empty(ctx.Captured);

        engine.OnWatermark(At(TimeSpan.FromMinutes(30)), ctx);
        var f = Assert.Single(ctx.Captured, x => x.Kind == "contract.violation");
        Assert.Equal("sla.freshness", f.Evidence[0].Reference);
        Assert.Equal(600, f.Evidence[0].Expected);

        engine.OnSignal(Rows(At(TimeSpan.FromMinutes(31)), 10), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(60)), ctx);
        Assert.Equal(2, ctx.Captured.Count(x => x.Kind == "contract.violation"));

        // Stale windows are bad windows: 20 stale minutes of 60 burn the 1 h budget far beyond 14.4×.
        Assert.Contains(ctx.Captured, x => x.Kind == "slo.burn");
    }

    [Fact]
    public void OnWatermark_VolumeBelowMinimum_ViolationForThatPeriodOnly()
    {
        var engine = NewEngine("urn: " + Urn + "\nsla: { volume: { min: 100, per: 1h } }\n");
        var ctx = EngineContext.Detached();

        // First seen at the hour boundary, so the first hour is judged: 60 rows < 100.
        engine.OnSignal(Rows(At(TimeSpan.Zero), 60), ctx);
        engine.OnSignal(Rows(At(TimeSpan.FromMinutes(70)), 150), ctx);
        engine.OnWatermark(At(TimeSpan.FromHours(2)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("sla.volume", f.Evidence[0].Reference);
        Assert.Equal(60, f.Evidence[0].Observed);
        Assert.Equal(100, f.Evidence[0].Expected);
        Assert.Equal(At(TimeSpan.FromMinutes(59)), f.WindowStartUnixNano);
    }

    [Fact]
    public void OnSignal_NoContractForUrn_Ignored()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();

        engine.OnSignal(Record("urn:autopilot:dataset:pg:other", "lineage.row_count", At(TimeSpan.Zero), 0), ctx);
        engine.OnWatermark(At(TimeSpan.FromHours(3)), ctx);

        Assert.Empty(ctx.Captured);
    }

    [Fact]
    public void BurnRate_ConstructedSeries_MatchesWorkbookMath()
    {
        // 99 % objective: 1 % budget. 9 bad of 60 one-minute windows = 15 %: burn 15×.
        Assert.Equal(15, BurnRate.Of(9, 60, 0.99), 9);
        Assert.Equal(100, BurnRate.Of(5, 5, 0.99), 9);
        Assert.Equal(0, BurnRate.Of(0, 0, 0.99));

        var ring = new SloWindowRing(360);
        for (var i = 0; i < 400; i++)
        {
            ring.Add(i % 10 == 0);
        }

        Assert.Equal(360, ring.Count);
        Assert.Equal(6, ring.BadInLast(60));
        Assert.Equal(36, ring.BadInLast(360));
    }

    [Fact]
    public void OnWatermark_RowCountRuleFailingEveryMinute_FastBurnOnceThenNotAgain()
    {
        var engine = NewEngine("urn: " + Urn + "\nquality: [ 'rowCount > 0' ]\nslo: { objective: 0.99 }\n");
        var ctx = EngineContext.Detached();

        // 10 good minutes, then every minute bad: the 1 h burn reaches 14.4× (≥ 8.64 bad of 60) at the 9th bad minute.
        for (var m = 0; m < 40; m++)
        {
            engine.OnSignal(Rows(At(TimeSpan.FromMinutes(m) + TimeSpan.FromSeconds(1)), m < 10 ? 5 : 0), ctx);
            engine.OnWatermark(At(TimeSpan.FromMinutes(m + 1)), ctx);
        }

        var burn = Assert.Single(ctx.Captured, f => f.Kind == "slo.burn");
        Assert.Equal(FindingSeverity.Critical, burn.Severity);
        Assert.Equal(At(TimeSpan.FromMinutes(18)), burn.WindowStartUnixNano);
        Assert.Equal(15, burn.Score, 6);
        Assert.Equal(30, ctx.Captured.Count(f => f.Kind == "contract.violation"));
    }

    [Fact]
    public void OnWatermark_FewBadWindows_NoBurn()
    {
        var engine = NewEngine("urn: " + Urn + "\nquality: [ 'rowCount > 0' ]\n");
        var ctx = EngineContext.Detached();

        for (var m = 0; m < 120; m++)
        {
            engine.OnSignal(Rows(At(TimeSpan.FromMinutes(m)), m % 30 == 0 ? 0 : 5), ctx);
            engine.OnWatermark(At(TimeSpan.FromMinutes(m + 1)), ctx);
        }

        Assert.DoesNotContain(ctx.Captured, f => f.Kind == "slo.burn");
        Assert.Equal(4, ctx.Captured.Count);
    }

    [Fact]
    public void WriteState_RestoredMidStream_SameFindingsAsContinuous()
    {
        const string yaml = "urn: " + Urn + "\nquality: [ 'rowCount > 0' ]\nsla: { freshness: 5m, volume: { min: 50, per: 15m } }\n";
        var continuous = NewEngine(yaml);
        var c1 = EngineContext.Detached();
        var first = NewEngine(yaml);
        var c2 = EngineContext.Detached();
        ContractEngine? second = null;
        for (var m = 0; m < 90; m++)
        {
            var rows = Rows(At(TimeSpan.FromMinutes(m) + TimeSpan.FromSeconds(3)), m % 7 == 0 ? 0 : 2);
            var wm = At(TimeSpan.FromMinutes(m) + TimeSpan.FromSeconds(30));
            var skip = m is > 20 and < 35;
            if (!skip)
            {
                continuous.OnSignal(rows, c1);
            }

            continuous.OnWatermark(wm, c1);
            var target = second ?? first;
            if (m == 45)
            {
                second = Restore(first, NewEngine(yaml));
                target = second;
            }

            if (!skip)
            {
                target.OnSignal(rows, c2);
            }

            target.OnWatermark(wm, c2);
        }

        Assert.NotEmpty(c1.Captured);
        Assert.Contains(c1.Captured, f => f.Evidence.Any(e => e.Reference == "sla.freshness"));
        Assert.Equal(c1.Captured, c2.Captured, new FindingComparer());
    }

    internal sealed class FindingComparer : IEqualityComparer<Finding>
    {
        public bool Equals(Finding? x, Finding? y) =>
            x!.Id == y!.Id && x.Summary == y.Summary && x.Score == y.Score && x.Evidence.SequenceEqual(y.Evidence);

        public int GetHashCode(Finding obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
