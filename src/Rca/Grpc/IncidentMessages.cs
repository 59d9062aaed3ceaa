using Autopilot.Engines.Incidents;
using Google.Protobuf;
using Proto = Autopilot.Rca.Grpc.V1;

namespace Autopilot.Rca.Grpc;

/// <summary>
/// Incidents as messages a gRPC client accepts: grpc-dotnet, grpc-go, grpc-java and grpc-js refuse a message over 4 MiB
/// unless told otherwise, and a chronic failure's incident (a finding a minute for weeks) passes that whole.
/// </summary>
internal static class IncidentMessages
{
    /// <summary>What one response message may take: 4 MiB less room for its envelope and the page's other fields.</summary>
    public const int MaxMessageBytes = (4 * 1024 * 1024) - (64 * 1024);

    /// <summary>
    /// The incident whole when its message fits in <paramref name="maxBytes"/>, else with its latest finding ids (in the
    /// order they joined) and timeline entries (in time order), half as many each time until it fits;
    /// <c>finding_count</c> and <c>timeline_count</c> give its totals (<paramref name="findingCount"/> and
    /// <paramref name="timelineCount"/> when the incident given is already cut to its latest items, as events carry it).
    /// </summary>
    public static Proto.Incident Fitting(Incident incident, long? findingCount = null, long? timelineCount = null, int maxBytes = MaxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var items = Math.Max(incident.FindingIds.Count, incident.Timeline.Count);
        var message = Message(incident, items, findingCount, timelineCount);
        while (items > 0 && message.CalculateSize() > maxBytes)
        {
            items /= 2;
            message = Message(incident, items, findingCount, timelineCount);
        }

        return message;
    }

    private static Proto.Incident Message(Incident incident, int items, long? findingCount, long? timelineCount)
    {
        var message = RcaProtoMapper.ToProto(incident.WithLatest(items));
        message.FindingCount = findingCount ?? incident.FindingIds.Count;
        message.TimelineCount = timelineCount ?? incident.Timeline.Count;
        return message;
    }
}
