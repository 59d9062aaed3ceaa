using System.Diagnostics.Metrics;

namespace Autopilot.Pipeline.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Stages_CountInAndOut_PerStageName()
    {
        using var metrics = new MetricsRecorder("metrics-test");
        await Source.Range(0, 10_000)
            .Where(x => x % 4 == 0)
            .Named("quarter")
            .Async(capacity: 128)
            .Named("boundary")
            .Select(x => x + 1)
            .Named("plus-one")
            .RunWith(Sink.Ignore<long>(), new PipelineSettings { Name = "metrics-test" });

        Assert.Equal(10_000, metrics.Sum("autopilot.pipeline.elements.in", stage: "quarter"));
        Assert.Equal(2_500, metrics.Sum("autopilot.pipeline.elements.out", stage: "quarter"));
        Assert.Equal(2_500, metrics.Sum("autopilot.pipeline.elements.in", stage: "boundary"));
        Assert.Equal(2_500, metrics.Sum("autopilot.pipeline.elements.out", stage: "boundary"));
        Assert.Equal(2_500, metrics.Sum("autopilot.pipeline.elements.out", stage: "plus-one"));
    }

    [Fact]
    public async Task BufferFill_IsObservedWhileTheGraphRuns_AndGoneAfter()
    {
        using var gate = new SemaphoreSlim(0);
        var handle = Source.Range(0, 100_000)
            .Async(capacity: 1024)
            .Named("observed-buffer")
            .To(Sink.ForEachBatch<long>(async (_, ct) => await gate.WaitAsync(ct)))
            .Run(new PipelineSettings { Name = "fill-test", MaxBatchSize = 128 });

        await Eventually.TrueAsync(() => ObserveFill("fill-test", "observed-buffer") == 1024, "buffer full");
        Assert.Equal(1024, ObserveCapacity("fill-test", "observed-buffer"));

        gate.Release(int.MaxValue / 2);
        await Eventually.WithinAsync(handle.Completion);
        Assert.Null(ObserveFill("fill-test", "observed-buffer"));
    }

    private static long? ObserveFill(string graph, string stage) => Observe("autopilot.pipeline.buffer.fill", graph, stage);

    private static long? ObserveCapacity(string graph, string stage) => Observe("autopilot.pipeline.buffer.capacity", graph, stage);

    private static long? Observe(string instrumentName, string graph, string stage)
    {
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Autopilot.Pipeline" && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, tags, _) =>
        {
            string? g = null, s = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "graph")
                {
                    g = tag.Value as string;
                }
                else if (tag.Key == "stage")
                {
                    s = tag.Value as string;
                }
            }

            if (g == graph && s == stage)
            {
                value = measurement;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }
}
