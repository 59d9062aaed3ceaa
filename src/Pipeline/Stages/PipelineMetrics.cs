using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Autopilot.Pipeline.Stages;

/// <summary>
/// The pipeline's instruments (meter <c>Autopilot.Pipeline</c>). Counters are added once per batch,
/// never per element.
/// </summary>
internal static class PipelineMetrics
{
    public const string MeterName = "Autopilot.Pipeline";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly ConcurrentDictionary<IBufferGauge, byte> s_buffers = new();

    public static readonly Counter<long> ElementsIn = s_meter.CreateCounter<long>(
        "autopilot.pipeline.elements.in", "{element}", "Elements received by a stage.");

    public static readonly Counter<long> ElementsOut = s_meter.CreateCounter<long>(
        "autopilot.pipeline.elements.out", "{element}", "Elements emitted by a stage.");

    public static readonly Counter<long> ElementsDropped = s_meter.CreateCounter<long>(
        "autopilot.pipeline.elements.dropped", "{element}", "Elements dropped by a stage, by reason.");

    static PipelineMetrics()
    {
        s_meter.CreateObservableGauge("autopilot.pipeline.buffer.fill", ObserveFill, "{element}", "Elements waiting in a bounded buffer.");
        s_meter.CreateObservableGauge("autopilot.pipeline.buffer.capacity", ObserveCapacity, "{element}", "Capacity of a bounded buffer.");
    }

    public static void Register(IBufferGauge buffer) => s_buffers.TryAdd(buffer, 0);

    public static void Unregister(IBufferGauge buffer) => s_buffers.TryRemove(buffer, out _);

    private static IEnumerable<Measurement<long>> ObserveFill()
    {
        foreach (var buffer in s_buffers.Keys)
        {
            yield return new Measurement<long>(buffer.Fill, new("graph", buffer.Graph), new("stage", buffer.Stage));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveCapacity()
    {
        foreach (var buffer in s_buffers.Keys)
        {
            yield return new Measurement<long>(buffer.Capacity, new("graph", buffer.Graph), new("stage", buffer.Stage));
        }
    }
}
