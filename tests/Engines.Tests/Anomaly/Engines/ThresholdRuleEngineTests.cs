using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using static Autopilot.Engines.Tests.Anomaly.Engines.AnomalySignals;

namespace Autopilot.Engines.Tests.Anomaly.Engines;

public sealed class ThresholdRuleEngineTests
{
    private static ThresholdRuleEngine Engine(params string[] expressions)
    {
        var options = new AnomalyOptions();
        for (var i = 0; i < expressions.Length; i++)
        {
            options.Rules.Add(new ThresholdRuleOptions { Name = $"rule{i}", Urn = "urn:autopilot:service:shop:*", Expression = expressions[i], Severity = FindingSeverity.Critical });
        }

        options.Validate();
        return new ThresholdRuleEngine(options);
    }

    /// <summary>Memory samples every 10 s: 0.5, then <paramref name="high"/> samples at 0.95, then 0.5 again.</summary>
    private static void FeedMemory(ThresholdRuleEngine engine, EngineContext context, int high, long offset = 0)
    {
        for (var i = 0; i < 5 + high + 3; i++)
        {
            var value = i >= 5 && i < 5 + high ? 0.95 : 0.5;
            engine.OnSignal(Metric(Service, "memory.utilization", T0 + offset + (i * 10 * Second), value), context);
        }
    }

    [Fact]
    public void OnSignal_ConditionHeldShorterThanFor_DoesNotFire()
    {
        var engine = Engine("memory.utilization > 0.9 for 120s");
        var context = EngineContext.Detached();

        FeedMemory(engine, context, high: 12); // 12 samples 10 s apart hold for 110 s

        Assert.Empty(context.Captured);
    }

    [Fact]
    public void OnSignal_ConditionHeldForItsDuration_FiresOnceWithEvidence()
    {
        var engine = Engine("memory.utilization > 0.9 for 120s");
        var context = EngineContext.Detached();

        FeedMemory(engine, context, high: 20);

        var finding = Assert.Single(context.Captured);
        Assert.Equal("anomaly.threshold", finding.Kind);
        Assert.Equal(FindingSeverity.Critical, finding.Severity);
        Assert.Equal(Service, finding.Urn);
        Assert.Equal(T0 + (50 * Second), finding.WindowStartUnixNano); // the condition started with the 6th sample
        Assert.Equal(T0 + (170 * Second), finding.TimeUnixNano); // 120 s later
        var evidence = Assert.Single(finding.Evidence);
        Assert.Equal(0.95, evidence.Observed);
        Assert.Equal(0.9, evidence.Expected);
        Assert.Equal("memory.utilization", evidence.Reference);
    }

    [Fact]
    public void OnSignal_ConditionClearsAndReturns_FiresAgainWithNewId()
    {
        var engine = Engine("memory.utilization > 0.9 for 60s");
        var context = EngineContext.Detached();

        FeedMemory(engine, context, high: 10);
        FeedMemory(engine, context, high: 10, offset: 10 * Minute);

        Assert.Equal(2, context.Captured.Count);
        Assert.NotEqual(context.Captured[0].Id, context.Captured[1].Id);
    }

    [Fact]
    public void OnSignal_OtherUrnOrMetric_IsIgnored()
    {
        var engine = Engine("memory.utilization > 0.9");
        var context = EngineContext.Detached();

        engine.OnSignal(Metric("urn:autopilot:service:other:api", "memory.utilization", T0, 0.99), context);
        engine.OnSignal(Metric(Service, "cpu.utilization", T0, 0.99), context);
        Assert.Empty(context.Captured);

        engine.OnSignal(Metric(Service, "memory.utilization", T0, 0.99), context);
        Assert.Single(context.Captured);
    }

    [Fact]
    public void OnSignal_HistogramPercentileTarget_ReadsAttribute()
    {
        var engine = Engine("http.server.duration.p99 > 1500");
        var context = EngineContext.Detached();

        engine.OnSignal(Metric(Service, "http.server.duration", T0, 10, "histogram", ("p99", "1200")), context);
        Assert.Empty(context.Captured);
        engine.OnSignal(Metric(Service, "http.server.duration", T0 + Second, 10, "histogram", ("p99", "1600")), context);
        Assert.Equal(1600, Assert.Single(context.Captured).Evidence[0].Observed);
    }

    [Fact]
    public void OnSignal_SeriesGoesSilent_ClearsAfterStaleAfter()
    {
        var engine = Engine("memory.utilization > 0.9 for 60s");
        var context = EngineContext.Detached();
        engine.OnSignal(Metric(Service, "memory.utilization", T0, 0.95), context);
        engine.OnSignal(Metric(Service, "memory.utilization", T0 + (30 * Second), 0.95), context);

        Advance(engine, context, T0 + (10 * Minute));
        engine.OnSignal(Metric(Service, "memory.utilization", T0 + (10 * Minute) + Second, 0.95), context);

        Assert.Empty(context.Captured); // held 30 s, then 10 min of silence: a new episode starts
    }

    /// <summary>Spans every second at <paramref name="slowMs"/> for <paramref name="slowSeconds"/> seconds, else 100 ms.</summary>
    private static void FeedSpans(ThresholdRuleEngine engine, EngineContext context, int slowSeconds, double slowMs = 2000)
    {
        for (var s = 0; s < 180; s++)
        {
            for (var k = 0; k < 10; k++)
            {
                var slow = s >= 30 && s < 30 + slowSeconds;
                engine.OnSignal(Span(Service, "GET /cart", T0 + (s * Second) + (k * 1_000_000), slow ? slowMs : 100), context);
            }

            Advance(engine, context, T0 + (s * Second));
        }

        Advance(engine, context, T0 + (10 * Minute));
    }

    [Fact]
    public void OnWatermark_P99HeldShorterThanFor_DoesNotFire()
    {
        var engine = Engine("p99 > 1500ms for 60s");
        var context = EngineContext.Detached();

        FeedSpans(engine, context, slowSeconds: 50);

        Assert.Empty(context.Captured);
    }

    [Fact]
    public void OnWatermark_P99HeldLongerThanFor_FiresOnce()
    {
        var engine = Engine("p99 > 1500ms for 60s");
        var context = EngineContext.Detached();

        FeedSpans(engine, context, slowSeconds: 90);

        var finding = Assert.Single(context.Captured);
        Assert.Equal(T0 + (30 * Second), finding.WindowStartUnixNano);
        Assert.Equal(T0 + (90 * Second), finding.TimeUnixNano);
        Assert.InRange(finding.Evidence[0].Observed!.Value, 1960, 2040);
        Assert.Equal("latency", finding.Evidence[0].Type);
    }

    [Fact]
    public void ReadState_MidEpisode_ContinuesLikeTheUninterruptedEngine()
    {
        var continuous = Engine("memory.utilization > 0.9 for 120s", "p99 > 1500ms for 60s");
        var first = Engine("memory.utilization > 0.9 for 120s", "p99 > 1500ms for 60s");
        var expected = EngineContext.Detached();
        var actual = EngineContext.Detached();

        for (var s = 0; s < 300; s++)
        {
            var t = T0 + (s * Second);
            var restoreNow = s == 100;
            if (restoreNow)
            {
                first = Restore(first, Engine("memory.utilization > 0.9 for 120s", "p99 > 1500ms for 60s"));
            }

            var signals = new[] { Metric(Service, "memory.utilization", t, s is > 40 and < 250 ? 0.95 : 0.4), Span(Service, "GET", t, s is > 60 and < 200 ? 3000 : 50) };
            foreach (var signal in signals)
            {
                for (var k = 0; k < 6; k++)
                {
                    var copy = signal with { TimeUnixNano = signal.TimeUnixNano + k };
                    continuous.OnSignal(copy, expected);
                    first.OnSignal(copy, actual);
                }
            }

            Advance(continuous, expected, t);
            Advance(first, actual, t);
        }

        Assert.Equal(2, expected.Captured.Count);
        Assert.Equal(Describe(expected.Captured), Describe(actual.Captured));
    }

    [Fact]
    public void OnSignal_MoreSeriesThanMaxStates_EvictsOldest()
    {
        var options = new AnomalyOptions();
        options.RuleEvaluation.MaxStates = 2;
        options.Rules.Add(new ThresholdRuleOptions { Name = "r", Expression = "cpu > 0.9" });
        var engine = new ThresholdRuleEngine(options);
        var context = EngineContext.Detached();

        for (var i = 0; i < 5; i++)
        {
            engine.OnSignal(Metric($"urn:autopilot:service:x:s{i}", "cpu", T0, 0.1), context);
        }

        Assert.Equal(3, engine.EvictedStates);
    }
}
