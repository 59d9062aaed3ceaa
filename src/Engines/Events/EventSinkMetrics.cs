using System.Diagnostics.Metrics;

namespace Autopilot.Engines.Events;

/// <summary>Counters of the CloudEvents sinks (meter <c>Autopilot.Engines.Events</c>).</summary>
internal static class EventSinkMetrics
{
    private static readonly Meter s_meter = new("Autopilot.Engines.Events");

    public static readonly Counter<long> Dropped = s_meter.CreateCounter<long>("autopilot.events.dropped", "{event}",
        "CloudEvents a sink could not deliver, by sink (file: not written; webhook: the oldest dropped from a full buffer, or a batch the endpoint refused with a 4xx).");
}
