using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Logs;
using Autopilot.Engines.Tests.TestSupport;
using static Autopilot.Engines.Tests.Anomaly.Engines.AnomalySignals;

namespace Autopilot.Engines.Tests.Anomaly.Engines;

public sealed class LogAnomalyEngineTests
{
    private static List<string> Contents(string system)
    {
        using var reader = new StreamReader(SharedData.Path("loghub", system, $"{system}_2k.log_structured_corrected.csv"));
        var lines = new List<string>();
        var column = -1;
        foreach (var record in CsvRecordReader.Read(reader))
        {
            if (column < 0)
            {
                column = record.IndexOf("Content");
                continue;
            }

            lines.Add(record[column]);
        }

        return lines;
    }

    [Fact]
    public void OnSignal_NewTemplateAfterWarmup_EmitsNewTemplate_ButNotDuringWarmup()
    {
        var hdfs = Contents("HDFS");
        var apache = Contents("Apache");
        var engine = new LogAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();

        for (var i = 0; i < 700; i++)
        {
            engine.OnSignal(Log(Service, hdfs[i], T0 + (i * Second)), context); // 700 lines over 11.7 min: past both warm-ups
            Advance(engine, context, T0 + (i * Second));
        }

        Assert.Empty(context.Captured); // HDFS founds many templates while warming up
        for (var i = 0; i < 100; i++)
        {
            engine.OnSignal(Log(Service, hdfs[i], T0 + ((700 + i) * Second)), context); // known lines
            Advance(engine, context, T0 + ((700 + i) * Second));
        }

        Assert.Empty(context.Captured);
        for (var i = 0; i < 10; i++)
        {
            engine.OnSignal(Log(Service, apache[i], T0 + ((800 + i) * Second), error: true), context); // another system's lines
        }

        Assert.NotEmpty(context.Captured);
        Assert.All(context.Captured, f => Assert.Equal("log.new_template", f.Kind));
        Assert.All(context.Captured, f => Assert.Equal(FindingSeverity.Warning, f.Severity));
        Assert.Contains(context.Captured, f => f.Evidence[0].Reference.Contains("jk2_init()", StringComparison.Ordinal) || f.Evidence[0].Reference.Contains("mod_jk", StringComparison.Ordinal));
    }

    [Fact]
    public void OnSignal_ManyNewTemplatesInOneWindow_CappedPerWindow()
    {
        var options = new AnomalyOptions();
        options.Logs.WarmupLines = 0;
        options.Logs.WarmupDuration = TimeSpan.Zero;
        var engine = new LogAnomalyEngine(options);
        var context = EngineContext.Detached();

        foreach (var line in Contents("OpenSSH"))
        {
            engine.OnSignal(Log(Service, line, T0 + Second), context);
        }

        Assert.Equal(options.Logs.MaxNewTemplatesPerWindow, context.Captured.Count);
        Assert.All(context.Captured, f => Assert.Equal(FindingSeverity.Info, f.Severity));
    }

    /// <summary>Per minute, 5 lines of a login template and 5 of a cache template; in window <paramref name="spikeAt"/>, <paramref name="spike"/> login lines.</summary>
    private static void FeedSteady(LogAnomalyEngine engine, EngineContext context, int windows, int spikeAt = -1, int spike = 0, bool errors = false, int from = 0)
    {
        for (var w = from; w < windows; w++)
        {
            var logins = w == spikeAt ? spike : 5;
            for (var k = 0; k < logins; k++)
            {
                engine.OnSignal(Log(Service, $"User u{k % 7} failed to log in from 10.0.{w % 5}.{k % 9}", T0 + (w * Minute) + (k * 100_000_000L), error: errors), context);
            }

            for (var k = 0; k < 5; k++)
            {
                engine.OnSignal(Log(Service, $"Cache refreshed in {k + 3} ms", T0 + (w * Minute) + (k * Second)), context);
            }

            Advance(engine, context, T0 + ((w + 1) * Minute));
        }
    }

    [Fact]
    public void OnWatermark_TemplateCountJumps_EmitsLogSpike()
    {
        var engine = new LogAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();

        FeedSteady(engine, context, 40, spikeAt: 30, spike: 200);

        var spike = Assert.Single(context.Captured, f => f.Kind == "log.spike");
        Assert.Equal(T0 + (30 * Minute), spike.WindowStartUnixNano);
        Assert.Equal(FindingSeverity.Warning, spike.Severity);
        Assert.Equal(200, spike.Evidence[0].Observed);
        Assert.InRange(spike.Evidence[0].Expected!.Value, 4, 6);
        Assert.Contains("failed to log in", spike.Evidence[0].Reference, StringComparison.Ordinal);
    }

    [Fact]
    public void OnWatermark_ErrorLinesJump_EmitsCriticalErrorSpike()
    {
        var engine = new LogAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();

        FeedSteady(engine, context, 20);
        FeedSteady(engine, context, 22, spikeAt: 20, spike: 50, errors: true, from: 20);

        Assert.Contains(context.Captured, f => f.Kind == "log.spike" && f.Severity == FindingSeverity.Critical && f.Evidence[0].Type == "log_errors" && f.Evidence[0].Observed == 50);
    }

    [Fact]
    public void OnWatermark_SteadyCounts_NoSpike()
    {
        var engine = new LogAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();

        FeedSteady(engine, context, 60, spikeAt: 30, spike: 12); // more than usual, but under MinSpikeCount

        Assert.DoesNotContain(context.Captured, f => f.Kind == "log.spike");
    }

    [Fact]
    public void ReadState_Restored_FindsLikeContinuous()
    {
        var continuous = new LogAnomalyEngine(new AnomalyOptions());
        var expected = EngineContext.Detached();
        FeedSteady(continuous, expected, 40, spikeAt: 30, spike: 200);

        var first = new LogAnomalyEngine(new AnomalyOptions());
        var actual = EngineContext.Detached();
        FeedSteady(first, actual, 20, spikeAt: 30, spike: 200);
        var second = Restore(first, new LogAnomalyEngine(new AnomalyOptions()));
        FeedSteady(second, actual, 40, spikeAt: 30, spike: 200, from: 20);

        Assert.NotEmpty(expected.Captured);
        Assert.Equal(Describe(expected.Captured), Describe(actual.Captured));
    }

    [Fact]
    public void OnSignal_MoreServicesThanCap_EvictsOldest()
    {
        var options = new AnomalyOptions();
        options.Logs.MaxServices = 2;
        var engine = new LogAnomalyEngine(options);
        var context = EngineContext.Detached();

        for (var i = 0; i < 5; i++)
        {
            engine.OnSignal(Log($"urn:autopilot:service:x:s{i}", "started", T0), context);
        }

        Assert.Equal(3, engine.EvictedServices);
        Assert.Equal(2, engine.Templates); // the evicted services' templates left the shard's count with them
    }

    // Four lines of different lengths: four templates in any service's miner.
    private static readonly string[] s_fourTemplates = ["started", "opened connection", "closed the socket", "wrote all pending bytes"];

    /// <summary>Services s{from}… s{to - 1} log the four templates each, in that order; returns the most templates the shard held.</summary>
    private static long LogFourTemplates(LogAnomalyEngine engine, EngineContext context, int from, int to, long time = T0)
    {
        var most = 0L;
        for (var service = from; service < to; service++)
        {
            foreach (var line in s_fourTemplates)
            {
                engine.OnSignal(Log($"urn:autopilot:service:x:s{service}", line, time), context);
                most = Math.Max(most, engine.Templates);
            }
        }

        return most;
    }

    private static AnomalyOptions BudgetOfTen()
    {
        var options = new AnomalyOptions();
        options.Logs.MaxTemplatesPerService = 10;
        options.Logs.MaxTemplatesPerShard = 10;
        return options;
    }

    [Fact]
    public void OnSignal_TemplatesPastShardBudget_EvictsLeastRecentServices_NeverTheCurrent()
    {
        var options = BudgetOfTen();
        var engine = new LogAnomalyEngine(options);
        var context = EngineContext.Detached();

        var most = LogFourTemplates(engine, context, 0, 5);

        // 4 + 4 + 4 > 10 evicts s0 during s2's third line; s3 and s4 evict s1 and s2 the same way.
        Assert.Equal(10, most);
        Assert.Equal(3, engine.EvictedServices);
        Assert.Equal(2, engine.Services);
        Assert.Equal(8, engine.Templates);

        // The one service that alone fills the budget keeps its templates: it is never evicted for its own line.
        var alone = new LogAnomalyEngine(options);
        for (var i = 0; i < 10; i++)
        {
            alone.OnSignal(Log("urn:autopilot:service:x:big", string.Join(' ', Enumerable.Repeat("word", i + 1)), T0), context);
        }

        Assert.Equal(10, alone.Templates);
        Assert.Equal(0, alone.EvictedServices);
    }

    [Fact]
    public void OnSignal_ThousandsOfServicesWithFewTemplates_FitTheDefaults()
    {
        // What the service cap alone used to get wrong: 1,000 services logging a few templates each were evicted on
        // nearly every line at 200 services per shard, so none ever finished its warm-up.
        var engine = new LogAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();
        for (var round = 0; round < 2; round++)
        {
            LogFourTemplates(engine, context, 0, 1_000, T0 + (round * Second));
        }

        Assert.Equal(0, engine.EvictedServices);
        Assert.Equal(1_000, engine.Services);
        Assert.Equal(4_000, engine.Templates);
    }

    [Fact]
    public void ReadState_RecountsTheShardsTemplates()
    {
        var options = BudgetOfTen();
        var engine = new LogAnomalyEngine(options);
        var context = EngineContext.Detached();
        LogFourTemplates(engine, context, 0, 2);

        var restored = Restore(engine, new LogAnomalyEngine(options));
        Assert.Equal(8, restored.Templates);

        // The restored total is what the budget counts from: a third service's third template goes past it.
        LogFourTemplates(restored, context, 2, 3);

        Assert.Equal(1, restored.EvictedServices);
        Assert.Equal(8, restored.Templates);
    }

    [Fact]
    public void Validate_ShardBudgetBelowOneServicesCap_NamesTheKey()
    {
        var options = new AnomalyOptions();
        options.Logs.MaxTemplatesPerShard = options.Logs.MaxTemplatesPerService - 1;
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("engines.anomaly.logs.maxTemplatesPerShard", error.Message, StringComparison.Ordinal);
    }
}
