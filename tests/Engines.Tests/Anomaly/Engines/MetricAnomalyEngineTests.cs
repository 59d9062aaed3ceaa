using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;
using static Autopilot.Engines.Tests.Anomaly.Engines.AnomalySignals;

namespace Autopilot.Engines.Tests.Anomaly.Engines;

public sealed class MetricAnomalyEngineTests
{
    private const int Points = 800;
    private const int SpikeAt = 700;

    private static double[] Noise(int seed, double spike = double.NaN)
    {
        var random = new Random(seed);
        var values = new double[Points];
        for (var i = 0; i < Points; i++)
        {
            values[i] = 50 + Gaussian(random);
        }

        if (!double.IsNaN(spike))
        {
            values[SpikeAt] = spike;
        }

        return values;
    }

    private static void Feed(MetricAnomalyEngine engine, EngineContext context, double[] values, string name = "cpu.usage", int from = 0, int to = Points)
    {
        for (var i = from; i < to; i++)
        {
            engine.OnSignal(Metric(Service, name, T0 + (i * 10 * Second), values[i], "gauge", ("cpu", "0"), ("request.id", $"r{i}")), context);
        }
    }

    [Fact]
    public void OnSignal_SpikeInSeries_EmitsMetricAnomalyWithBaseline()
    {
        var engine = new MetricAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();

        Feed(engine, context, Noise(7, spike: 120));

        var finding = Assert.Single(context.Captured);
        Assert.Equal("anomaly.metric", finding.Kind);
        Assert.Equal(T0 + (SpikeAt * 10 * Second), finding.TimeUnixNano);
        Assert.InRange(finding.Score, 0.5, 1.0);
        Assert.NotEqual(FindingSeverity.Info, finding.Severity);
        var evidence = Assert.Single(finding.Evidence);
        Assert.Equal("cpu.usage{cpu=0}", evidence.Reference); // request.id is not a series attribute
        Assert.Equal(120, evidence.Observed);
        Assert.InRange(evidence.Expected!.Value, 49, 51);
        Assert.Equal(1, engine.SeriesCount);
    }

    [Fact]
    public void SeriesAttributesAndEvictions_RunningOn_FindsLikeRestoredBeforeEveryPoint()
    {
        // Points of one URN and name told apart by series attributes (cpu, state), in shared and in fresh key arrays, more
        // series than the engine's cap: the engine that runs on (its caches warm) finds exactly what one restored from its
        // snapshot before every point (its caches empty, every point looked up by its key) finds. Guards any cache in
        // front of the series lookup.
        var options = new AnomalyOptions();
        options.Metrics.MaxSeries = 8;
        var shared = new[] { "metric.type", "cpu", "state", "host" };
        var random = new Random(5);
        var points = new List<Signal>();
        for (var i = 0; i < 4_000; i++)
        {
            // Four frequent series (cpu 0/1 x user/system) and rare ones (mem.usage on cpu 0-9) that push the cap.
            var rare = random.Next(10) == 0;
            var cpu = (rare ? random.Next(10) : random.Next(2)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var state = random.Next(2) == 0 ? "user" : "system";
            var name = rare ? "mem.usage" : "cpu.usage";
            var value = 50 + Gaussian(random) + (i is >= 3_600 and < 3_610 ? 60 : 0);
            var time = T0 + (i * Second);
            points.Add(random.Next(3) == 0
                ? Metric(Service, name, time, value, "gauge", ("host", "h1"), ("state", state), ("cpu", cpu)) // a fresh key array, other order
                : new Signal(SignalKind.Metric, Service, time, TraceId.Empty, 0, null, name, value, SignalStatus.Unset, 0,
                    new SignalAttributes(shared, ["gauge", cpu, state, "h1"])));
        }

        var (continuous, continuousContext, restoredContext) = RunningOnAndRestoredBeforeEveryPoint(options, points);
        Assert.NotEmpty(continuousContext.Captured);
        Assert.True(continuous.EvictedSeries > 0, "the series cap was never reached");
        Assert.Equal(Describe(restoredContext.Captured), Describe(continuousContext.Captured));

        static string[] Describe(IEnumerable<Finding> findings) =>
            [.. findings.Select(f => $"{f.TimeUnixNano} {f.Score} " + string.Join("; ", f.Evidence.Select(e => $"{e.Reference} {e.Observed} {e.Expected}")))];
    }

    [Fact]
    public void ManySeriesPerName_UrnLongerThanAKey_FindLikeRestoredBeforeEveryPoint()
    {
        // 20 devices on one name, values as fresh string instances, points without any series attribute beside them (the
        // cached kind), and a URN longer than a key, so every key of it is cut to the same text (all its devices are one
        // series, shown by the metric's name; it once threw there and lost every point). Running on must find exactly what
        // an engine restored before every point (its caches empty) finds, with evictions (cap 12).
        var options = new AnomalyOptions();
        options.Metrics.MaxSeries = 12;
        var longUrn = "urn:autopilot:service:default:" + new string('x', 1_100);
        var random = new Random(17);
        var points = new List<Signal>();
        for (var i = 0; i < 6_000; i++)
        {
            var device = (random.Next(4) == 0 ? random.Next(20) : random.Next(3)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var time = T0 + (i * Second);
            var value = 50 + Gaussian(random) + (i % 1_500 is >= 1_400 and < 1_405 ? 80 : 0);
            points.Add(random.Next(6) switch
            {
                0 => Metric(Service, "disk.io", time, value),
                1 => Metric(longUrn, "disk.io", time, value, "gauge", ("device", new string(device.AsSpan()))),
                _ => Metric(Service, "disk.io", time, value, "gauge", ("device", new string(device.AsSpan())), ("host", "h1")),
            });
        }

        var (continuous, continuousContext, restoredContext) = RunningOnAndRestoredBeforeEveryPoint(options, points);
        Assert.NotEmpty(continuousContext.Captured);
        Assert.True(continuous.EvictedSeries > 0, "the series cap was never reached");
        Assert.Contains(continuousContext.Captured, f => f.Urn == longUrn);
        Assert.Equal(
            [.. restoredContext.Captured.Select(f => $"{f.Urn.Length} {f.TimeUnixNano} {f.Score} {f.Evidence[0].Reference} {f.Evidence[0].Observed} {f.Evidence[0].Expected}")],
            continuousContext.Captured.Select(f => $"{f.Urn.Length} {f.TimeUnixNano} {f.Score} {f.Evidence[0].Reference} {f.Evidence[0].Observed} {f.Evidence[0].Expected}"));
    }

    /// <summary>The points through an engine that runs on, and through one restored from its snapshot before every point (its caches empty).</summary>
    private static (MetricAnomalyEngine Continuous, EngineContext ContinuousContext, EngineContext RestoredContext) RunningOnAndRestoredBeforeEveryPoint(AnomalyOptions options, List<Signal> points)
    {
        var continuous = new MetricAnomalyEngine(options);
        var restored = new MetricAnomalyEngine(options);
        var continuousContext = EngineContext.Detached();
        var restoredContext = EngineContext.Detached();
        foreach (var point in points)
        {
            continuous.OnSignal(point, continuousContext);
            restored = Restore(restored, new MetricAnomalyEngine(options));
            restored.OnSignal(point, restoredContext);
        }

        return (continuous, continuousContext, restoredContext);
    }

    [Fact]
    public void OnSignal_SteadyNoisySeries_EmitsNothing()
    {
        var engine = new MetricAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();

        Feed(engine, context, Noise(7));

        Assert.Empty(context.Captured);
    }

    [Fact]
    public void OnSignal_HistogramPoints_ScoreTheirP99AsOwnSeries()
    {
        var engine = new MetricAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();
        var values = Noise(3, spike: 400);

        for (var i = 0; i < Points; i++)
        {
            engine.OnSignal(Metric(Service, "http.server.duration", T0 + (i * 10 * Second), 1, "histogram", ("p99", (values[i] * 2).ToString(System.Globalization.CultureInfo.InvariantCulture))), context);
        }

        var finding = Assert.Single(context.Captured);
        Assert.Equal("http.server.duration.p99", finding.Evidence[0].Reference);
        Assert.Equal(800, finding.Evidence[0].Observed);
    }

    [Fact]
    public void OnSignal_CumulativeCounter_ScoresIncreasesNotTotals()
    {
        var options = new AnomalyOptions();
        options.Metrics.Detector.SuppressPoints = 50;
        var engine = new MetricAnomalyEngine(options);
        var context = EngineContext.Detached();
        var values = Noise(11, spike: 500);
        double total = 0;

        for (var i = 0; i < Points; i++)
        {
            total += values[i];
            engine.OnSignal(Metric(Service, "requests", T0 + (i * 10 * Second), total, "sum", ("metric.monotonic", "true"), ("metric.temporality", "cumulative")), context);
        }

        // An ever-growing total would be novel at every point; its increases are scored instead.
        Assert.InRange(context.Captured.Count, 1, 3);
        Assert.Contains(context.Captured, f => f.TimeUnixNano == T0 + (SpikeAt * 10 * Second) && Math.Abs(f.Evidence[0].Observed!.Value - 500) < 1e-6);
    }

    [Fact]
    public void OnSignal_DuplicatePoint_IsSkipped()
    {
        var engine = new MetricAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();
        var values = Noise(7, spike: 120);

        Feed(engine, context, values);
        Feed(engine, context, values, from: SpikeAt, to: SpikeAt + 1); // replayed after a crash

        Assert.Single(context.Captured);
    }

    [Fact]
    public void OnSignal_MoreSeriesThanCap_EvictsLeastRecentlyUpdated()
    {
        var options = new AnomalyOptions();
        options.Metrics.MaxSeries = 2;
        var engine = new MetricAnomalyEngine(options);
        var context = EngineContext.Detached();

        engine.OnSignal(Metric(Service, "a", T0, 1), context);
        engine.OnSignal(Metric(Service, "b", T0, 1), context);
        engine.OnSignal(Metric(Service, "a", T0 + Second, 1), context);
        engine.OnSignal(Metric(Service, "c", T0, 1), context); // evicts b, not the recently updated a
        engine.OnSignal(Metric(Service, "a", T0 + (2 * Second), 1), context);

        Assert.Equal(2, engine.SeriesCount);
        Assert.Equal(1, engine.EvictedSeries);
        engine.OnSignal(Metric(Service, "b", T0 + Second, 1), context);
        Assert.Equal(2, engine.EvictedSeries);
    }

    [Fact]
    public void ReadState_Restored_ScoresLikeContinuous()
    {
        var values = Noise(7, spike: 120);
        var continuous = new MetricAnomalyEngine(new AnomalyOptions());
        var expected = EngineContext.Detached();
        Feed(continuous, expected, values);

        var first = new MetricAnomalyEngine(new AnomalyOptions());
        var actual = EngineContext.Detached();
        Feed(first, actual, values, to: 400);
        var second = Restore(first, new MetricAnomalyEngine(new AnomalyOptions()));
        Feed(second, actual, values, from: 400);

        Assert.Single(expected.Captured);
        Assert.Equal(Describe(expected.Captured), Describe(actual.Captured));
        Assert.Equal(expected.Captured[0].Evidence, actual.Captured[0].Evidence);
    }

    [Fact]
    public void ReadState_IntoEngineThatRanOn_ContinuesFromTheSnapshotOnly()
    {
        // A point without series attributes is cached by URN and name; after ReadState the engine must use the
        // restored series, not the one it held before (which has seen later points and would skip these).
        var values = Noise(7, spike: 120);
        var expected = EngineContext.Detached();
        var reference = new MetricAnomalyEngine(new AnomalyOptions());
        FeedPlain(reference, expected, values, 0, 400);
        var snapshot = Restore(reference, new MetricAnomalyEngine(new AnomalyOptions()));
        FeedPlain(reference, expected, values, 400, Points);

        var reused = new MetricAnomalyEngine(new AnomalyOptions());
        var actual = EngineContext.Detached();
        FeedPlain(reused, actual, Noise(3), 0, Points);
        actual.Captured.Clear();
        Restore(snapshot, reused);
        FeedPlain(reused, actual, values, 400, Points);

        Assert.NotEmpty(expected.Captured);
        Assert.Equal(Describe(expected.Captured), Describe(actual.Captured));
    }

    private static void FeedPlain(MetricAnomalyEngine engine, EngineContext context, double[] values, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            engine.OnSignal(Metric(Service, "queue.depth", T0 + (i * 10 * Second), values[i]), context);
        }
    }

    [Fact]
    public void OnSignal_SameInputTwice_SameFindings()
    {
        var a = EngineContext.Detached();
        var b = EngineContext.Detached();
        Feed(new MetricAnomalyEngine(new AnomalyOptions()), a, Noise(5, spike: 90));
        Feed(new MetricAnomalyEngine(new AnomalyOptions()), b, Noise(5, spike: 90));

        Assert.NotEmpty(a.Captured);
        Assert.Equal(Describe(a.Captured), Describe(b.Captured));
    }

    [Fact]
    public void OnSignal_ResonanceMode_FlagsASpikeAfterProbationAndRestoresExactly()
    {
        static AnomalyOptions Resonance()
        {
            var options = new AnomalyOptions();
            options.Metrics.Detector.Mode = AnomalyDetectorMode.Resonance;
            return options;
        }

        var random = new Random(11);
        var values = new double[1500];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = 50 + Gaussian(random);
        }

        values[1200] = 120;
        var continuous = new MetricAnomalyEngine(Resonance());
        var expected = EngineContext.Detached();
        Feed(continuous, expected, values, to: values.Length);

        var first = new MetricAnomalyEngine(Resonance());
        var actual = EngineContext.Detached();
        Feed(first, actual, values, to: 900);
        var second = Restore(first, new MetricAnomalyEngine(Resonance()));
        Feed(second, actual, values, from: 900, to: values.Length);

        // The resonance mode scores a block of 5 points when it completes: the spike's block ends at point 1204.
        Assert.Contains(expected.Captured, f => f.Kind == "anomaly.metric" && f.TimeUnixNano == T0 + (1204 * 10 * Second));
        Assert.DoesNotContain(expected.Captured, f => f.TimeUnixNano < T0 + (1200 * 10 * Second));
        Assert.Equal(Describe(expected.Captured), Describe(actual.Captured));
    }
}
