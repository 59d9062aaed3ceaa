using Autopilot.Engines.Findings;
using Autopilot.Engines.Freshness;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Tests.TestSupport;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Tests.Freshness;

public sealed class FreshnessEngineTests
{
    private const long Minute = 60L * 1_000_000_000;
    private const long Hour = 60 * Minute;
    private static readonly long T0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
    private static readonly string Job = Urn.Create("job", "etl", "daily_orders");
    private static readonly string Table = Urn.Create("dataset", "postgres/shop", "orders");
    private static readonly string Topic = Urn.Create("topic", "kafka", "orders");

    private static Signal JobComplete(string urn, long time) =>
        new(SignalKind.Lineage, urn, time, TraceId.Empty, 0, "run", "COMPLETE", 1, SignalStatus.Ok, 0, SignalAttributes.Empty);

    private static Signal Record(string urn, long time, string name = "publish", SignalAttributes? attributes = null) =>
        new(SignalKind.Record, urn, time, TraceId.Empty, 0, null, name, 1, SignalStatus.Unset, 0, attributes ?? SignalAttributes.Empty);

    /// <summary>Updates every hour from T0 for <paramref name="runs"/> runs, watermark every 5 min until <paramref name="until"/>.</summary>
    private static List<(long Time, Signal? Signal)> Hourly(string urn, int runs, long until, Func<string, long, Signal>? make = null)
    {
        make ??= JobComplete;
        var events = new List<(long, Signal?)>();
        for (var t = T0; t <= until; t += 5 * Minute)
        {
            if ((t - T0) % Hour == 0 && (t - T0) / Hour < runs)
            {
                events.Add((t, make(urn, t)));
            }

            events.Add((t, null));
        }

        return events;
    }

    private static void Drive(FreshnessEngine engine, EngineContext context, IEnumerable<(long Time, Signal? Signal)> events)
    {
        foreach (var (time, signal) in events)
        {
            if (signal is { } s)
            {
                engine.OnSignal(in s, context);
            }
            else
            {
                context.SetDetachedWatermark(time);
                engine.OnWatermark(time, context);
            }
        }
    }

    private static List<Finding> Run(IEnumerable<(long Time, Signal? Signal)> events, FreshnessOptions? options = null)
    {
        var engine = new FreshnessEngine(options ?? new FreshnessOptions());
        var context = EngineContext.Detached();
        Drive(engine, context, events);
        return context.Captured;
    }

    [Fact]
    public void OnWatermark_HourlyJobStops_StaleAfterThreeLearnedIntervals()
    {
        // Runs at 0h..7h; learned interval 1 h, so stale once the watermark passes 7h + 3h.
        var findings = Run(Hourly(Job, runs: 8, until: T0 + (10 * Hour)));
        Assert.Empty(findings);

        findings = Run(Hourly(Job, runs: 8, until: T0 + (10 * Hour) + (5 * Minute)));
        var stale = Assert.Single(findings);
        Assert.Equal("freshness.stale", stale.Kind);
        Assert.Equal(FindingSeverity.Warning, stale.Severity);
        Assert.Equal(Job, stale.Urn);
        Assert.Equal(T0 + (7 * Hour), stale.WindowStartUnixNano);
        Assert.Equal(T0 + (10 * Hour), stale.TimeUnixNano);
        Assert.Equal(3 * 3600, stale.Evidence[0].Observed);
        Assert.Equal(3 * 3600, stale.Evidence[0].Expected);
        Assert.Contains(stale.Evidence, e => e.Reference == "expected_interval_seconds" && e.Expected == 3600);
    }

    [Fact]
    public void OnWatermark_StaysStale_EmitsOnceThenEscalatesWithSameId()
    {
        var findings = Run(Hourly(Job, runs: 8, until: T0 + (20 * Hour)));

        Assert.Equal(2, findings.Count);
        Assert.Equal(FindingSeverity.Warning, findings[0].Severity);
        Assert.Equal(FindingSeverity.Critical, findings[1].Severity);
        Assert.Equal(findings[0].Id, findings[1].Id);
        Assert.Equal(T0 + (13 * Hour), findings[1].TimeUnixNano);
        Assert.Equal(1.0, findings[1].Score);
    }

    [Fact]
    public void OnWatermark_FewerRunsThanMinObservations_NoFindingDuringWarmUp()
    {
        var findings = Run(Hourly(Job, runs: 5, until: T0 + (72 * Hour)));

        Assert.Empty(findings);
    }

    [Fact]
    public void OnWatermark_SlaFromOptions_OverridesLearnedInterval()
    {
        var options = new FreshnessOptions();
        options.Slas[Table] = TimeSpan.FromMinutes(90);

        // Two updates are enough with an SLA; the learned interval (1 h × 3) would wait until 4h.
        var findings = Run(Hourly(Table, runs: 2, until: T0 + (3 * Hour), (u, t) => Record(u, t, "INSERT")), options);

        var stale = Assert.Single(findings);
        Assert.Equal(T0 + Hour + (90 * Minute), stale.TimeUnixNano);
        Assert.Contains(stale.Evidence, e => e.Reference == "sla_seconds" && e.Expected == 90 * 60);
    }

    [Fact]
    public void SetSla_AtRunTime_AppliesToLearnedAsset()
    {
        var engine = new FreshnessEngine(new FreshnessOptions());
        engine.SetSla(Topic, TimeSpan.FromMinutes(20));
        var context = EngineContext.Detached();

        Drive(engine, context, Hourly(Topic, runs: 1, until: T0 + Hour, (u, t) => Record(u, t)));

        Assert.Equal([T0 + (20 * Minute), T0 + (40 * Minute)], context.Captured.Select(f => f.TimeUnixNano));
    }

    [Fact]
    public void OnWatermark_UpdateAfterStale_EmitsRecoveredOnce()
    {
        var events = Hourly(Job, runs: 8, until: T0 + (11 * Hour));
        events.Add((0, JobComplete(Job, T0 + (11 * Hour) + Minute)));
        for (var t = T0 + (11 * Hour); t <= T0 + (13 * Hour); t += 5 * Minute)
        {
            events.Add((t, null));
        }

        var findings = Run(events);

        Assert.Equal(["freshness.stale", "freshness.recovered"], findings.Select(f => f.Kind));
        var recovered = findings[1];
        Assert.Equal(FindingSeverity.Info, recovered.Severity);
        Assert.Equal(T0 + (7 * Hour), recovered.WindowStartUnixNano);
        Assert.Equal(T0 + (11 * Hour) + Minute, recovered.WindowEndUnixNano);
        Assert.NotEqual(findings[0].Id, recovered.Id);
    }

    [Fact]
    public void OnSignal_ReadsServicesAndAssertions_AreNotUpdates()
    {
        var engine = new FreshnessEngine(new FreshnessOptions());
        var context = EngineContext.Detached();
        var input = new SignalAttributes(["lineage.direction"], ["input"]);
        var service = Urn.Create("service", "prod", "api");

        engine.OnSignal(Record(Topic, T0, "receive"), context);
        engine.OnSignal(Record(Table, T0, "SELECT"), context);
        engine.OnSignal(Record(Table, T0, "dq.assertion"), context);
        engine.OnSignal(Record(Table, T0, "lineage.row_count", input), context);
        engine.OnSignal(new Signal(SignalKind.Lineage, Table, T0, TraceId.Empty, 0, "r", "COMPLETE", 0, SignalStatus.Ok, 0, input), context);
        engine.OnSignal(new Signal(SignalKind.Lineage, Job, T0, TraceId.Empty, 0, "r", "START", 0, SignalStatus.Unset, 0, SignalAttributes.Empty), context);
        engine.OnSignal(new Signal(SignalKind.Span, service, T0, TraceId.Empty, 0, null, "GET /", 3, SignalStatus.Ok, 200, SignalAttributes.Empty), context);
        Assert.Equal(0, engine.TrackedAssets);

        engine.OnSignal(Record(Table, T0, "lineage.row_count", new SignalAttributes(["lineage.direction"], ["output"])), context);
        engine.OnSignal(JobComplete(Job, T0), context);
        engine.OnSignal(Record(Topic, T0, "publish"), context);
        Assert.Equal(3, engine.TrackedAssets);
    }

    [Fact]
    public void OnSignal_BurstOfMessages_LearnsIntervalBetweenBursts()
    {
        // Bursts of 50 messages one second apart, every 30 min: the learned interval is 30 min, not 1 s.
        var events = new List<(long, Signal?)>();
        for (var burst = 0; burst < 8; burst++)
        {
            for (var m = 0; m < 50; m++)
            {
                events.Add((0, Record(Topic, T0 + (burst * 30 * Minute) + (m * 1_000_000_000L))));
            }
        }

        for (var t = T0; t <= T0 + (6 * Hour); t += 5 * Minute)
        {
            events.Add((t, null));
        }

        var stale = Assert.Single(Run(events));
        Assert.Contains(stale.Evidence, e => e.Reference == "expected_interval_seconds" && e.Expected == 30 * 60);
    }

    [Fact]
    public void WriteState_RestoredMidStream_ContinuesIdentically()
    {
        var events = Hourly(Job, runs: 8, until: T0 + (9 * Hour));
        events.AddRange(Hourly(Table, runs: 6, until: T0 + (9 * Hour), (u, t) => Record(u, t, "INSERT")));
        events.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        var rest = new List<(long, Signal?)>();
        for (var t = T0 + (9 * Hour); t <= T0 + (30 * Hour); t += 5 * Minute)
        {
            rest.Add((t, t == T0 + (22 * Hour) ? JobComplete(Job, t) : null));
            rest.Add((t, null));
        }

        var options = new FreshnessOptions();
        var expected = Run([.. events, .. rest], options);

        var first = new FreshnessEngine(options);
        first.SetSla(Topic, TimeSpan.FromHours(2));
        var context = EngineContext.Detached();
        Drive(first, context, events);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            first.WriteState(writer);
        }

        stream.Position = 0;
        var restored = new FreshnessEngine(options);
        using (var reader = new BinaryReader(stream))
        {
            restored.ReadState(reader);
        }

        Drive(restored, context, rest);

        Assert.NotEmpty(expected);
        Assert.Contains(expected, f => f.Kind == "freshness.recovered");
        Assert.Equal(expected, context.Captured, FindingComparer.Instance);
    }

    [Fact]
    public void OnWatermark_SameInputsTwiceAndCoarserWatermarks_IdenticalFindings()
    {
        var events = Hourly(Job, runs: 8, until: T0 + (30 * Hour));
        events.AddRange(Hourly(Topic, runs: 10, until: T0 + (30 * Hour), (u, t) => Record(u, t)));
        events.Sort((a, b) => a.Item1.CompareTo(b.Item1));

        var first = Run(events);
        var second = Run(events);

        // Watermarks only every 45 min: same findings (values come from event-time crossing points).
        var coarse = events.Where(e => e.Signal is not null || (e.Time - T0) % (45 * Minute) == 0).ToList();
        coarse.Add((T0 + (31 * Hour), null));
        var third = Run(coarse);

        Assert.Equal(4, first.Count);
        Assert.Equal(first, second, FindingComparer.Instance);
        Assert.Equal(first.OrderBy(f => f.Id + f.Severity), third.OrderBy(f => f.Id + f.Severity), FindingComparer.Instance);
    }

    [Fact]
    public void OnSignal_MoreAssetsThanCap_EvictsLeastRecentlyUpdated()
    {
        var options = new FreshnessOptions { MaxAssets = 2 };
        var engine = new FreshnessEngine(options);
        var context = EngineContext.Detached();
        var a = Urn.Create("topic", "kafka", "a");
        var b = Urn.Create("topic", "kafka", "b");
        var c = Urn.Create("topic", "kafka", "c");
        foreach (var urn in new[] { a, b, c })
        {
            engine.SetSla(urn, TimeSpan.FromMinutes(10));
        }

        engine.OnSignal(Record(a, T0), context);
        engine.OnSignal(Record(b, T0 + Minute), context);
        engine.OnSignal(Record(a, T0 + (2 * Minute)), context); // a is now more recent than b
        engine.OnSignal(Record(c, T0 + (3 * Minute)), context);
        context.SetDetachedWatermark(T0 + Hour);
        engine.OnWatermark(T0 + Hour, context);

        Assert.Equal(2, engine.TrackedAssets);
        Assert.Equal([a, c], context.Captured.Select(f => f.Urn).Distinct());
    }

    [Theory]
    [InlineData("minObservations")]
    [InlineData("intervalFactor")]
    [InlineData("slas")]
    public void Validate_BadSetting_NamesKey(string key)
    {
        var options = new FreshnessOptions();
        switch (key)
        {
            case "minObservations":
                options.MinObservations = 0;
                break;
            case "intervalFactor":
                options.IntervalFactor = double.NaN;
                break;
            default:
                options.Slas[Job] = TimeSpan.Zero;
                break;
        }

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("engines.freshness." + key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDefault_FreshnessEnabled_HostsFreshnessEngine()
    {
        var options = new EngineOptions();
        Assert.Contains(EngineCatalog.CreateDefault(0, options), e => e is FreshnessEngine);
        options.Freshness.Enabled = false;
        Assert.DoesNotContain(EngineCatalog.CreateDefault(0, options), e => e is FreshnessEngine);
    }
}
