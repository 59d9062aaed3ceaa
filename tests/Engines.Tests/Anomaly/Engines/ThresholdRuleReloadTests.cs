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

    [Fact]
    public void Restored_UnderTheSameRule_KeepsHowLongTheConditionHeld()
    {
        var (_, engine) = Engine("memory.utilization > 0.9 for 60s");
        Feed(engine, EngineContext.Detached(), from: 0, count: 5, value: 0.95);

        var (_, restored) = Engine("memory.utilization > 0.9 for 60s");
        TestSupport.TestSignals.Restore(engine, restored);
        var context = EngineContext.Detached();
        Feed(restored, context, from: 5, count: 3, value: 0.95);

        Assert.Equal(T0 + (60 * Second), Assert.Single(context.Captured).TimeUnixNano);
    }

    [Fact]
    public void Restored_UnderARuleChangedWhileStopped_StartsItsForAfresh()
    {
        var (_, engine) = Engine("memory.utilization > 0.9 for 60s");
        Feed(engine, EngineContext.Detached(), from: 0, count: 5, value: 0.95);

        var (_, restored) = Engine("memory.utilization > 0.9 for 30s");
        TestSupport.TestSignals.Restore(engine, restored);
        var context = EngineContext.Detached();
        Feed(restored, context, from: 5, count: 5, value: 0.95);

        var finding = Assert.Single(context.Captured);
        Assert.Equal(T0 + (50 * Second), finding.WindowStartUnixNano);
        Assert.Equal(T0 + (80 * Second), finding.TimeUnixNano);
    }

    [Fact]
    public void Restored_FromAVersion1Snapshot_KeepsStatesByRuleName()
    {
        // Version 1 wrote no rule definition: a state is kept under the rule of its name, whatever changed (as before).
        var (_, engine) = Engine("memory.utilization > 0.9 for 60s");
        Feed(engine, EngineContext.Detached(), from: 0, count: 5, value: 0.95);
        using var written = new MemoryStream();
        using (var writer = new BinaryWriter(written, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(writer);
        }

        // Version 2: version, count, evictions, then per state its key and rule name, the rule (URN pattern, target,
        // comparison, threshold, for, severity) and the rest; version 1 is the same without the rule.
        var bytes = written.ToArray();
        using var reader = new BinaryReader(new MemoryStream(bytes));
        Assert.Equal(2, reader.ReadInt32());
        Assert.Equal(1, reader.ReadInt32());
        reader.ReadInt64();
        reader.ReadString();
        Assert.Equal("rule0", reader.ReadString());
        var ruleStart = (int)reader.BaseStream.Position;
        Assert.Equal("urn:autopilot:service:shop:*", reader.ReadString());
        Assert.Equal("memory.utilization", reader.ReadString());
        reader.ReadInt32();
        Assert.Equal(0.9, reader.ReadDouble());
        Assert.Equal(TimeSpan.FromSeconds(60).Ticks, reader.ReadInt64());
        reader.ReadInt32();
        var ruleEnd = (int)reader.BaseStream.Position;
        var v1 = BitConverter.GetBytes(1).Concat(bytes[4..ruleStart]).Concat(bytes[ruleEnd..]).ToArray();

        var (_, restored) = Engine("memory.utilization > 0.9 for 30s");
        using (var v1Reader = new BinaryReader(new MemoryStream(v1)))
        {
            restored.ReadState(v1Reader);
        }

        var context = EngineContext.Detached();
        Feed(restored, context, from: 5, count: 5, value: 0.95);
        var finding = Assert.Single(context.Captured);
        Assert.Equal(T0, finding.WindowStartUnixNano); // held since the first sample, before the restart
        Assert.Equal(T0 + (50 * Second), finding.TimeUnixNano);
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
