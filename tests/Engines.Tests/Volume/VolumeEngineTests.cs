using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Tests.TestSupport;
using Autopilot.Engines.Volume;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Tests.Volume;

public sealed class VolumeEngineTests
{
    private const long Minute = 60L * 1_000_000_000;
    private const long Window = 5 * Minute;
    private const int PerDay = 288;

    // A Monday, midnight UTC.
    private static readonly long T0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
    private static readonly string Service = Urn.Create("service", "prod", "checkout");
    private static readonly string Table = Urn.Create("dataset", "warehouse", "orders");

    private static Signal Span(string urn, long time) =>
        new(SignalKind.Span, urn, time, TraceId.Empty, 0, null, "GET /", 2, SignalStatus.Ok, 200, SignalAttributes.Empty);

    private static Signal Rows(string urn, long time, double rows) =>
        new(SignalKind.Record, urn, time, TraceId.Empty, 0, "run", "lineage.row_count", rows, SignalStatus.Unset, 0, SignalAttributes.Empty);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Feeds window i its count (as spans when <paramref name="spans"/>, else one row-count record), then closes it.</summary>
    private static void Feed(VolumeEngine engine, EngineContext context, string urn, IReadOnlyList<double> counts, int from = 0, bool spans = false)
    {
        for (var i = from; i < counts.Count; i++)
        {
            var start = T0 + (i * Window);
            if (spans)
            {
                for (var k = 0; k < (int)counts[i]; k++)
                {
                    engine.OnSignal(Span(urn, start + 1 + k), context);
                }
            }
            else if (counts[i] > 0)
            {
                engine.OnSignal(Rows(urn, start + Minute, counts[i]), context);
            }

            context.SetDetachedWatermark(start + Window + 1);
            engine.OnWatermark(start + Window + 1, context);
        }
    }

    private static List<Finding> Run(IReadOnlyList<double> counts, VolumeOptions? options = null, string? urn = null)
    {
        var engine = new VolumeEngine(options ?? new VolumeOptions());
        var context = EngineContext.Detached();
        Feed(engine, context, urn ?? Table, counts);
        return context.Captured;
    }

    private static List<double> Steady(int n, double level, double noise, int seed)
    {
        var random = new Random(seed);
        var counts = new List<double>(n);
        for (var i = 0; i < n; i++)
        {
            counts.Add(Math.Max(0, Math.Round(level + (noise * Gaussian(random)))));
        }

        return counts;
    }

    /// <summary>Daily cycle: 20 at 03:00 to 180 at 15:00 UTC, plus noise.</summary>
    private static List<double> Daily(int days, int seed)
    {
        var random = new Random(seed);
        var counts = new List<double>(days * PerDay);
        for (var i = 0; i < days * PerDay; i++)
        {
            var hour = (i % PerDay) / 12.0;
            var level = 100 - (80 * Math.Cos(2 * Math.PI * (hour - 3) / 24));
            counts.Add(Math.Max(0, Math.Round(level + (Math.Sqrt(level) * Gaussian(random)))));
        }

        return counts;
    }

    [Fact]
    public void OnWatermark_SpansStopEntirely_EmitsCriticalDropToZero()
    {
        var engine = new VolumeEngine(new VolumeOptions());
        var context = EngineContext.Detached();
        var counts = Steady(PerDay, 100, 5, seed: 1);
        Feed(engine, context, Service, counts, spans: true);
        Assert.Empty(context.Captured);

        // Three windows without a single signal: closed by the watermark alone.
        var silentEnd = T0 + ((PerDay + 3) * Window) + 1;
        context.SetDetachedWatermark(silentEnd);
        engine.OnWatermark(silentEnd, context);

        var drop = Assert.Single(context.Captured);
        Assert.Equal("volume.drop", drop.Kind);
        Assert.Equal(Service, drop.Urn);
        Assert.Equal(FindingSeverity.Critical, drop.Severity);
        Assert.Equal(1.0, drop.Score);
        Assert.Equal(T0 + (PerDay * Window), drop.WindowStartUnixNano);
        Assert.Equal(0, drop.Evidence[0].Observed);
        Assert.InRange(drop.Evidence[0].Expected!.Value, 90, 110);
    }

    [Fact]
    public void OnWatermark_LongOutage_RenotifiesHourlyNotEveryWindow()
    {
        var counts = Steady(PerDay, 100, 5, seed: 2);
        counts.AddRange(new double[36]);

        var findings = Run(counts);

        Assert.All(findings, f => Assert.Equal("volume.drop", f.Kind));
        Assert.Equal(3, findings.Count);
        Assert.Equal(12 * Window, findings[1].WindowStartUnixNano - findings[0].WindowStartUnixNano);
    }

    [Fact]
    public void OnWatermark_FiveFoldBurst_EmitsSpike()
    {
        var counts = Steady(PerDay, 100, 5, seed: 3);
        counts.Add(500);

        var spike = Assert.Single(Run(counts));

        Assert.Equal("volume.spike", spike.Kind);
        Assert.Equal(500, spike.Evidence[0].Observed);
        Assert.InRange(spike.Score, 0.75, 0.85);
        Assert.Equal(FindingSeverity.Warning, spike.Severity);
    }

    [Fact]
    public void OnWatermark_DuringWarmUp_NoFinding()
    {
        // Eleven windows of learning (the first, partial, one is skipped), then a drop to zero: too early to judge.
        var counts = Steady(11, 100, 5, seed: 4);
        counts.AddRange([0, 0]);

        Assert.Empty(Run(counts));
    }

    [Fact]
    public void OnWatermark_DailyCycleForTwoWeeks_NoFindingButDropAtPeakDoes()
    {
        var counts = Daily(15, seed: 5);
        var peak = (14 * PerDay) + (15 * 12); // day 15, 15:00: expected about 180
        counts[peak] = 70; // an ordinary count at 08:00 or 22:00, a real drop at the peak

        var findings = Run(counts);

        var drop = Assert.Single(findings);
        Assert.Equal("volume.drop", drop.Kind);
        Assert.Equal(T0 + (peak * Window), drop.WindowStartUnixNano);
        Assert.InRange(drop.Evidence[0].Expected!.Value, 160, 200);
        Assert.Contains("hour of week Monday 15h", drop.Evidence[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void OnWatermark_DirectionDropOnlyForUrn_SuppressesSpikeKeepsDrop()
    {
        var options = new VolumeOptions();
        options.Directions[Table] = VolumeDirection.Drop;
        var counts = Steady(PerDay, 100, 5, seed: 6);
        counts.Add(600);
        counts.AddRange(Steady(24, 100, 5, seed: 7));
        counts.Add(0);

        var findings = Run(counts, options);

        Assert.Equal("volume.drop", Assert.Single(findings).Kind);
        Assert.Equal("volume.spike", Run(counts)[0].Kind); // the spike is there with the default direction
    }

    [Fact]
    public void OnWatermark_NoisySeries_AdaptsWhereStableSeriesAlarms()
    {
        // A halving is noise for a series that swings ±30 % every window, and a finding for a stable one.
        var noisy = Steady(3 * PerDay, 100, 30, seed: 8);
        var stable = Steady(3 * PerDay, 100, 2, seed: 8);
        noisy.Add(50);
        stable.Add(50);

        Assert.Empty(Run(noisy));
        Assert.Equal("volume.drop", Assert.Single(Run(stable)).Kind);
    }

    [Fact]
    public void OnWatermark_StableSeriesSmallChange_RelativeFloorSuppresses()
    {
        // z is huge (σ ≈ 0.5) but 15 % is below the relative floor of 30 %.
        var counts = Steady(PerDay, 1000, 0.5, seed: 9);
        counts.Add(850);

        Assert.Empty(Run(counts));
    }

    [Fact]
    public void WriteState_RestoredMidStream_ContinuesIdentically()
    {
        var counts = Daily(9, seed: 10);
        counts[(8 * PerDay) + 100] = 0;
        counts[(8 * PerDay) + 200] = 900;
        var options = new VolumeOptions();
        var expected = Run(counts, options);

        var first = new VolumeEngine(options);
        var context = EngineContext.Detached();
        var split = (8 * PerDay) + 50;
        Feed(first, context, Table, counts[..split]);
        first.OnSignal(Rows(Table, T0 + (split * Window) + 1, 5), context); // an open window crosses the snapshot
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            first.WriteState(writer);
        }

        stream.Position = 0;
        var restored = new VolumeEngine(options);
        using (var reader = new BinaryReader(stream))
        {
            restored.ReadState(reader);
        }

        counts[split] -= 5;
        Feed(restored, context, Table, counts, from: split);

        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, context.Captured, FindingComparer.Instance);
    }

    [Fact]
    public void OnWatermark_SameInputsTwice_IdenticalFindings()
    {
        var counts = Daily(3, seed: 11);
        counts[(2 * PerDay) + 10] = 0;
        counts[(2 * PerDay) + 150] = 1000;

        var first = Run(counts);
        var second = Run(counts);

        Assert.NotEmpty(first);
        Assert.Equal(first, second, FindingComparer.Instance);
    }

    [Fact]
    public void OnSignal_MoreUrnsThanCap_EvictsLeastRecentlySeen()
    {
        var engine = new VolumeEngine(new VolumeOptions { MaxUrns = 2 });
        var context = EngineContext.Detached();
        var a = Urn.Create("service", "prod", "a");
        var b = Urn.Create("service", "prod", "b");
        var c = Urn.Create("service", "prod", "c");

        engine.OnSignal(Span(a, T0 + 1), context);
        engine.OnSignal(Span(b, T0 + 2), context);
        engine.OnSignal(Span(a, T0 + 3), context);
        engine.OnSignal(Span(c, T0 + 4), context);

        Assert.Equal(2, engine.TrackedUrns);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(writer);
        }

        var state = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains(a, state, StringComparison.Ordinal);
        Assert.Contains(c, state, StringComparison.Ordinal);
        Assert.DoesNotContain(b, state, StringComparison.Ordinal);
    }

    [Fact]
    public void OnSignal_LateForClosedWindow_IsDroppedNotCounted()
    {
        var engine = new VolumeEngine(new VolumeOptions());
        var context = EngineContext.Detached();
        engine.OnSignal(Span(Service, T0 + 1), context);
        engine.OnWatermark(T0 + (2 * Window), context);

        engine.OnSignal(Span(Service, T0 + Window + 1), context);

        Assert.Equal(1, engine.Dropped);
    }

    [Theory]
    [InlineData("sensitivity")]
    [InlineData("window")]
    [InlineData("alpha")]
    public void Validate_BadSetting_NamesKey(string key)
    {
        var options = new VolumeOptions();
        switch (key)
        {
            case "sensitivity":
                options.Sensitivity = -1;
                break;
            case "window":
                options.Window = TimeSpan.FromMinutes(7);
                break;
            default:
                options.Alpha = 0;
                break;
        }

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("engines.volume." + key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDefault_VolumeEnabled_HostsVolumeEngine()
    {
        var options = new EngineOptions();
        Assert.Contains(EngineCatalog.CreateDefault(0, options), e => e is VolumeEngine);
        options.Volume.Enabled = false;
        Assert.DoesNotContain(EngineCatalog.CreateDefault(0, options), e => e is VolumeEngine);
    }

    [Fact]
    public void OnSignal_UrnEvictedThenSeenAgain_TrackedAgainFromScratch()
    {
        // One URN at a time: the table evicts the service, and the service (the same string instance, which the
        // engine caches) evicts the table in turn; a cached reference to an evicted series must not be followed.
        var engine = new VolumeEngine(new VolumeOptions { MaxUrns = 1 });
        var ctx = EngineContext.Detached();
        engine.OnSignal(Span(Service, T0), ctx);
        engine.OnSignal(Span(Table, T0 + Minute), ctx);
        engine.OnSignal(Span(Service, T0 + (2 * Minute)), ctx);

        var state = State(engine);
        Assert.Equal(1, engine.TrackedUrns);
        Assert.Contains(Service, state, StringComparison.Ordinal);
        Assert.DoesNotContain(Table, state, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadState_IntoEngineThatRanOn_TracksLikeAFreshEngine()
    {
        var used = new VolumeEngine(new VolumeOptions());
        used.OnSignal(Span(Service, T0), EngineContext.Detached());
        TestSignals.Restore(new VolumeEngine(new VolumeOptions()), used);
        var fresh = new VolumeEngine(new VolumeOptions());
        used.OnSignal(Span(Service, T0 + Minute), EngineContext.Detached());
        fresh.OnSignal(Span(Service, T0 + Minute), EngineContext.Detached());

        Assert.Equal(State(fresh), State(used));
        Assert.Equal(1, used.TrackedUrns);
    }

    private static string State(VolumeEngine engine)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(writer);
        }

        return Convert.ToHexString(stream.ToArray()) + " " + System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
