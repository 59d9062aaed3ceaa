using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Hosting;
using static Autopilot.Engines.Tests.Anomaly.Engines.AnomalySignals;

namespace Autopilot.Engines.Tests.Anomaly.Engines;

public sealed class LatencyAnomalyEngineTests
{
    private const int Windows = 150;

    /// <summary>30 spans a minute around 100 ms; from window <paramref name="slowFrom"/> on, one in five takes <paramref name="slowMs"/>.</summary>
    private static void Feed(LatencyAnomalyEngine engine, EngineContext context, int slowFrom = int.MaxValue, double slowMs = 100, int from = 0, int to = Windows, int seed = 1)
    {
        var random = new Random(seed);
        for (var w = 0; w < to; w++)
        {
            for (var k = 0; k < 30; k++)
            {
                var duration = (w >= slowFrom && k % 5 == 0) ? slowMs : 100 + (10 * Gaussian(random));
                if (w >= from)
                {
                    engine.OnSignal(Span(Service, k % 2 == 0 ? "GET /cart" : "POST /pay", T0 + (w * Minute) + (k * Second), duration), context);
                }
            }

            if (w >= from)
            {
                Advance(engine, context, T0 + ((w + 1) * Minute));
            }
        }
    }

    [Fact]
    public void OnWatermark_P99Regression_EmitsLatencyAnomaly()
    {
        var engine = new LatencyAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();

        Feed(engine, context, slowFrom: 120, slowMs: 1500);

        Assert.NotEmpty(context.Captured);
        var service = Assert.Single(context.Captured, f => f.Evidence[0].Reference == "span.duration.p99");
        Assert.Equal("anomaly.latency", service.Kind);
        Assert.Equal(T0 + (120 * Minute), service.WindowStartUnixNano);
        Assert.Equal(T0 + (121 * Minute), service.WindowEndUnixNano);
        Assert.InRange(service.Evidence[0].Observed!.Value, 1450, 1550);
        Assert.InRange(service.Evidence[0].Expected!.Value, 100, 200);
        Assert.Contains(context.Captured, f => f.Evidence[0].Reference.Contains("operation=GET /cart", StringComparison.Ordinal));
    }

    [Fact]
    public void OnWatermark_SteadyLatency_EmitsNothing()
    {
        var engine = new LatencyAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();

        Feed(engine, context);

        Assert.Empty(context.Captured);
        Assert.Equal(3, engine.SeriesCount); // the service and its two operations
    }

    [Fact]
    public void OnWatermark_FewerSpansThanMinSpans_NotScored()
    {
        var engine = new LatencyAnomalyEngine(new AnomalyOptions());
        var context = EngineContext.Detached();
        for (var w = 0; w < Windows; w++)
        {
            engine.OnSignal(Span(Service, "GET", T0 + (w * Minute), w >= 120 ? 5000 : 100), context);
            Advance(engine, context, T0 + ((w + 1) * Minute));
        }

        Assert.Empty(context.Captured);
    }

    [Fact]
    public void OnSignal_MoreSeriesThanCap_EvictsOldest()
    {
        var options = new AnomalyOptions();
        options.Latency.MaxSeries = 2;
        options.Latency.PerOperation = false;
        var engine = new LatencyAnomalyEngine(options);
        var context = EngineContext.Detached();

        for (var i = 0; i < 4; i++)
        {
            engine.OnSignal(Span($"urn:autopilot:service:x:s{i}", "GET", T0, 10), context);
        }

        Assert.Equal(2, engine.SeriesCount);
        Assert.Equal(2, engine.EvictedSeries);
    }

    [Fact]
    public void OnSignal_SameUrnInstanceAfterEviction_NewSeries()
    {
        // The engine caches service series by URN instance: once evicted, the URN must get a new series (an eviction
        // more), not the evicted one back.
        var options = new AnomalyOptions();
        options.Latency.MaxSeries = 1;
        options.Latency.PerOperation = false;
        var engine = new LatencyAnomalyEngine(options);
        var context = EngineContext.Detached();
        string[] urns = ["urn:autopilot:service:x:a", "urn:autopilot:service:x:b"];

        for (var i = 0; i < 4; i++)
        {
            engine.OnSignal(Span(urns[i % 2], "GET", T0, 10), context);
        }

        Assert.Equal(1, engine.SeriesCount);
        Assert.Equal(3, engine.EvictedSeries);
    }

    [Fact]
    public void ReadState_IntoEngineThatRanOn_WritesWhatAFreshEngineWrites()
    {
        var used = new LatencyAnomalyEngine(new AnomalyOptions());
        used.OnSignal(Span(Service, "GET /a", T0, 10), EngineContext.Detached());
        Restore(new LatencyAnomalyEngine(new AnomalyOptions()), used);
        var fresh = new LatencyAnomalyEngine(new AnomalyOptions());
        used.OnSignal(Span(Service, "GET /a", T0 + Second, 20), EngineContext.Detached());
        fresh.OnSignal(Span(Service, "GET /a", T0 + Second, 20), EngineContext.Detached());

        Assert.Equal(State(fresh), State(used));
        Assert.Equal(2, used.SeriesCount);
    }

    private static byte[] State(Engine engine)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(writer);
        }

        return stream.ToArray();
    }

    [Fact]
    public void ReadState_Restored_ScoresLikeContinuous()
    {
        var continuous = new LatencyAnomalyEngine(new AnomalyOptions());
        var expected = EngineContext.Detached();
        Feed(continuous, expected, slowFrom: 120, slowMs: 1500);

        var first = new LatencyAnomalyEngine(new AnomalyOptions());
        var actual = EngineContext.Detached();
        Feed(first, actual, slowFrom: 120, slowMs: 1500, to: 100);
        var second = Restore(first, new LatencyAnomalyEngine(new AnomalyOptions()));
        Feed(second, actual, slowFrom: 120, slowMs: 1500, from: 100);

        Assert.NotEmpty(expected.Captured);
        Assert.Equal(Describe(expected.Captured), Describe(actual.Captured));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(10_000)]
    public void Quantile_UniformValues_WithinTwoPercent(int n)
    {
        var sketch = new QuantileSketch();
        for (var i = 1; i <= n; i++)
        {
            sketch.Add(i);
        }

        foreach (var q in new[] { 0.5, 0.95, 0.99 })
        {
            var exact = Math.Max(1, Math.Ceiling(q * n));
            Assert.InRange(sketch.Quantile(q), exact * 0.98, exact * 1.02);
        }
    }
}
