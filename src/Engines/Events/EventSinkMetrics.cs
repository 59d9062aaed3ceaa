using System.Diagnostics.Metrics;

namespace Autopilot.Engines.Events;

/// <summary>Counters of the CloudEvents sinks (meter <c>Autopilot.Engines.Events</c>).</summary>
internal static class EventSinkMetrics
{
    private static readonly Meter s_meter = new("Autopilot.Engines.Events");

    private static readonly Counter<long> s_dropped = s_meter.CreateCounter<long>("autopilot.events.dropped", "{event}",
        "CloudEvents a sink could not deliver, by sink (file: not written; webhook: the oldest dropped from a full buffer, or a batch the endpoint refused with a 4xx).");

    /// <summary>Counts <paramref name="events"/> that the sink named <paramref name="sink"/> (file, webhook) could not deliver.</summary>
    public static void Dropped(string sink, long events) => s_dropped.Add(events, new KeyValuePair<string, object?>("sink", sink));
}
