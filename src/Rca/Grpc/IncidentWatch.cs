using System.Buffers;
using Autopilot.Engines.Events;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Ingest.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Proto = Autopilot.Rca.Grpc.V1;

namespace Autopilot.Rca.Grpc;

/// <summary>
/// One <c>WatchIncidents</c> stream: a subscriber of the live <see cref="EventBroadcaster"/> (the same one as
/// <c>GET /api/events</c>), optionally preceded by a snapshot of the open incidents. The broadcaster never waits
/// for a watcher: one whose buffer fills is dropped, and its stream ends with RESOURCE_EXHAUSTED once what was
/// already written has gone out. Ends with UNAVAILABLE when the server stops; a client that cancels just goes.
/// </summary>
internal sealed class IncidentWatch(IEngineStore store, EventBroadcaster live, CancellationToken stopping)
{
    /// <summary>Most open incidents sent as the snapshot (the correlator keeps at most this many open anyway).</summary>
    internal const int MaxSnapshot = 10_000;

    // Events buffered together go out in one write and one flush, up to about this many bytes.
    private const int WriteChunkBytes = 256 * 1024;

    /// <summary>Streams until the client cancels, the watcher falls behind or the server stops; returns the status it ended with.</summary>
    public async Task<GrpcStatusCode> RunAsync(HttpContext ctx, Proto.WatchIncidentsRequest request)
    {
        var problems = new List<string>();
        var status = RcaRequestChecks.Status(request.Status, problems);
        RcaRequestChecks.ThrowIfAny(problems);

        // Subscribe before reading the snapshot, so a change made in between is streamed rather than lost.
        using var subscription = live.TrySubscribe()
            ?? throw new GrpcException(GrpcStatusCode.ResourceExhausted, $"too many live watchers (at most {live.Options.MaxSubscribers}, shared with GET /api/events); retry later", TimeSpan.FromSeconds(5));
        var gzip = GrpcWire.WantsGzipResponse(ctx.Request);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        var response = ctx.Response;
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        GrpcWire.StartResponse(response, gzip);
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            if (request.SendSnapshot)
            {
                await SendSnapshotAsync(response, buffer, status, gzip, ended.Token).ConfigureAwait(false);
            }

            // The headers go out now, so the client knows the watch is established even before any event.
            await response.Body.FlushAsync(ended.Token).ConfigureAwait(false);
            var reader = subscription.Reader;
            while (!subscription.Overflowed && await reader.WaitToReadAsync(ended.Token).ConfigureAwait(false))
            {
                buffer.Clear();
                while (buffer.WrittenCount < WriteChunkBytes && reader.TryRead(out var e))
                {
                    if (ToMessage(e, status, request.IncludeFindings) is { } message)
                    {
                        GrpcWire.AppendMessage(buffer, message.ToByteArray(), gzip);
                    }
                }

                if (buffer.WrittenCount > 0)
                {
                    await response.Body.WriteAsync(buffer.WrittenMemory, ended.Token).ConfigureAwait(false);
                    await response.Body.FlushAsync(ended.Token).ConfigureAwait(false);
                }
            }

            var end = subscription.Overflowed
                ? new RpcStatus(GrpcStatusCode.ResourceExhausted, $"this watcher fell behind by more than {live.Options.BufferPerSubscriber} events and was dropped, so events were lost; watch again with send_snapshot to resynchronise")
                : Stopping();
            GrpcWire.CompleteStream(response, end);
            return end.Code;
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            if (ctx.RequestAborted.IsCancellationRequested)
            {
                return GrpcStatusCode.Cancelled;
            }

            var end = Stopping();
            GrpcWire.CompleteStream(response, end);
            return end.Code;
        }
    }

    private static RpcStatus Stopping() => new(GrpcStatusCode.Unavailable, "the server is stopping; watch again once it is back");

    private async Task SendSnapshotAsync(HttpResponse response, ArrayBufferWriter<byte> buffer, IncidentStatus? status, bool gzip, CancellationToken cancellationToken)
    {
        // Only open incidents make the snapshot: a filter on another status gets just the end marker.
        if (status is null or IncidentStatus.Open)
        {
            foreach (var incident in store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Open, Limit: MaxSnapshot)))
            {
                var message = IncidentEvent(Proto.WatchEventType.Snapshot, incident);
                GrpcWire.AppendMessage(buffer, message.ToByteArray(), gzip);
                if (buffer.WrittenCount >= WriteChunkBytes)
                {
                    await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    buffer.Clear();
                }
            }
        }

        GrpcWire.AppendMessage(buffer, new Proto.WatchIncidentsResponse { Type = Proto.WatchEventType.SnapshotComplete }.ToByteArray(), gzip);
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        buffer.Clear();
    }

    /// <summary>
    /// An incident's event: the incident as a message a client accepts (<see cref="IncidentMessages.Fitting"/>) and its
    /// totals, which the incident given may already be cut from (a live event's are the event's).
    /// </summary>
    private static Proto.WatchIncidentsResponse IncidentEvent(Proto.WatchEventType type, Incident incident, long? findingCount = null, long? timelineCount = null)
    {
        var message = IncidentMessages.Fitting(incident, findingCount, timelineCount);
        return new Proto.WatchIncidentsResponse
        {
            Type = type,
            TimeUnixNano = incident.UpdatedUnixNano,
            Incident = message,
            FindingCount = message.FindingCount,
            TimelineCount = message.TimelineCount,
        };
    }

    /// <summary>The message for one live event, or null when the request's filters leave it out.</summary>
    internal static Proto.WatchIncidentsResponse? ToMessage(CloudEvent e, IncidentStatus? status, bool includeFindings)
    {
        switch (e.Data)
        {
            case Incident incident when status is null || incident.Status == status:
                var type = e.Type switch
                {
                    "autopilot.incident.opened" => Proto.WatchEventType.Opened,
                    "autopilot.incident.resolved" => Proto.WatchEventType.Resolved,
                    _ => Proto.WatchEventType.Updated,
                };
                var change = IncidentEvent(type, incident, e.FindingCount, e.TimelineCount);
                change.EventId = e.Id;
                return change;
            case Finding finding when includeFindings:
                return new Proto.WatchIncidentsResponse { Type = Proto.WatchEventType.Finding, EventId = e.Id, TimeUnixNano = finding.TimeUnixNano, Finding = RcaProtoMapper.ToProto(finding) };
            default:
                return null;
        }
    }
}
