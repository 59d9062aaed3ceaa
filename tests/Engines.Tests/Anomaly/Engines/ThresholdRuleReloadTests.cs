using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using static Autopilot.Engines.Tests.Anomaly.Engines.AnomalySignals;

namespace Autopilot.Engines.Tests.Anomaly.Engines;

/// <summary>
/// Threshold rules replaced while the engine runs (<see cref="ThresholdRuleSet.Replace"/>, a reload): a rule kept as it was
/// keeps how long its condition has held, a changed one starts its <c>for</c> afresh, a removed one is forgotten, a new one
/// is judged from its first sample.
/// </summary>
public sealed class ThresholdRuleReloadTests
{
    [Fact]
    public void Replace_TheSameRule_KeepsHowLongTheConditionHeld()
    {
        var (options, engine) = Engine("memory.utilization > 0.9 for 60s");
        var context = EngineContext.Detached();
        Feed(engine, context, from: 0, count: 5, value: 0.95); // held 0–40 s

        options.RuleSet.Replace([Rule("rule0", "memory.utilization > 0.9 for 60s"), Rule("other", "queue.depth > 10")]);
        Feed(engine, context, from: 5, count: 3, value: 0.95); // 50–70 s: 60 s since the condition started

        var finding = Assert.Single(context.Captured);
        Assert.Equal(T0 + (60 * Second), finding.TimeUnixNano);
        Assert.Equal(T0, finding.WindowStartUnixNano);
    }

    [Fact]
    public void Replace_AChangedRule_StartsItsForAfresh()
    {
        var (options, engine) = Engine("memory.utilization > 0.9 for 60s");
        var context = EngineContext.Detached();
        Feed(engine, context, from: 0, count: 5, value: 0.95);

        options.RuleSet.Replace([Rule("rule0", "memory.utilization > 0.9 for 30s")]);
        Feed(engine, context, from: 5, count: 5, value: 0.95); // 50–90 s: held since 50 s under the new rule

        var finding = Assert.Single(context.Captured);
        Assert.Equal(T0 + (50 * Second), finding.WindowStartUnixNano);
        Assert.Equal(T0 + (80 * Second), finding.TimeUnixNano);
    }

    [Fact]
    public void Replace_ARuleRemoved_IsForgotten_AndANewOneJudged()
    {
        var (options, engine) = Engine("memory.utilization > 0.9 for 30s");
        var context = EngineContext.Detached();
        Feed(engine, context, from: 0, count: 3, value: 0.95);

        options.RuleSet.Replace([Rule("low", "memory.utilization < 0.99")]);
        Feed(engine, context, from: 3, count: 5, value: 0.95);

        var finding = Assert.Single(context.Captured); // only the new rule's, at once (no for)
        Assert.Equal(T0 + (30 * Second), finding.TimeUnixNano);
        Assert.Contains("low", finding.Summary, StringComparison.Ordinal);
        Assert.Same(options.RuleSet.Current[0], Assert.Single(engine.Rules));
    }

    [Fact]
    public void Replace_AnInvalidRule_ChangesNothing()
    {
        var (options, _) = Engine("memory.utilization > 0.9 for 60s");
        var before = options.RuleSet.Current;

        var e = Assert.Throws<ArgumentException>(() => options.RuleSet.Replace([Rule("bad", "memory.utilization >> 0.9")]));

        Assert.Contains("engines.anomaly.rules[0]", e.Message, StringComparison.Ordinal);
        Assert.Same(before, options.RuleSet.Current);
        Assert.Equal(0, options.RuleSet.Reloads);
    }

    private static (AnomalyOptions Options, ThresholdRuleEngine Engine) Engine(string expression)
    {
        var options = new AnomalyOptions();
        options.Rules.Add(Rule("rule0", expression));
        options.Validate();
        return (options, new ThresholdRuleEngine(options));
    }

    private static ThresholdRuleOptions Rule(string name, string expression) =>
        new() { Name = name, Urn = "urn:autopilot:service:shop:*", Expression = expression, Severity = FindingSeverity.Critical };

    /// <summary>Memory samples 10 s apart, the first at <paramref name="from"/> × 10 s.</summary>
    private static void Feed(ThresholdRuleEngine engine, EngineContext context, int from, int count, double value)
    {
        for (var i = from; i < from + count; i++)
        {
            engine.OnSignal(Metric(Service, "memory.utilization", T0 + (i * 10 * Second), value), context);
        }
    }
}
