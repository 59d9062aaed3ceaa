using System.Buffers;
using System.Text;
using System.Text.Json;
using Autopilot.Engines.Events;
using Autopilot.Engines.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Autopilot.Engines.Api;

/// <summary>
/// <c>GET /api/events</c>: findings and incident changes as server-sent events (<c>text/event-stream</c>),
/// as they happen. Each event is <c>id</c> (the CloudEvent id), <c>event</c> (<c>incident.opened</c>,
/// <c>incident.updated</c>, <c>incident.resolved</c> or <c>finding</c>) and one <c>data</c> line holding the
/// CloudEvent as JSON. An idle stream sends a comment every heartbeat; a subscriber too slow to keep up
/// gets an <c>overflow</c> event and the stream ends (EventSource reconnects; refetch then).
/// </summary>
public static class EventStreamEndpoints
{
    private static readonly byte[] s_hello = Encoding.UTF8.GetBytes("retry: 3000\n: connected\n\n");
    private static readonly byte[] s_heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");
    private static readonly byte[] s_overflow = Encoding.UTF8.GetBytes("event: overflow\ndata: {\"reason\":\"too_slow\",\"message\":\"events were dropped because this client fell behind; reconnect and refetch\"}\n\n");

    /// <param name="app">The routes.</param>
    /// <param name="broadcaster">Where the events come from.</param>
    /// <param name="stopping">Ends every stream when the server shuts down, so shutdown does not wait for clients.</param>
    public static IEndpointRouteBuilder MapEventStream(this IEndpointRouteBuilder app, EventBroadcaster broadcaster, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(broadcaster);
        app.MapGet("/api/events", ctx => StreamAsync(ctx, broadcaster, stopping));
        return app;
    }

    private static async Task StreamAsync(HttpContext ctx, EventBroadcaster broadcaster, CancellationToken stopping)
    {
        using var subscription = broadcaster.TrySubscribe();
        if (subscription is null)
        {
            ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            ctx.Response.Headers.RetryAfter = "5";
            await ctx.Response.WriteAsJsonAsync(new { code = 503, message = $"too many live event subscribers (at most {broadcaster.Options.MaxSubscribers}); retry later" }, EngineJson.Options, ctx.RequestAborted);
            return;
        }

        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        ctx.Response.ContentType = "text/event-stream; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-cache, no-store";
        ctx.Response.Headers["X-Accel-Buffering"] = "no";

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        var body = ctx.Response.Body;
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(buffer);
        try
        {
            await body.WriteAsync(s_hello, ended.Token);
            await body.FlushAsync(ended.Token);
            var reader = subscription.Reader;
            while (true)
            {
                bool more;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ended.Token))
                {
                    wait.CancelAfter(broadcaster.Options.Heartbeat);
                    try
                    {
                        more = await reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!ended.IsCancellationRequested)
                    {
                        await body.WriteAsync(s_heartbeat, ended.Token);
                        await body.FlushAsync(ended.Token);
                        continue;
                    }
                }

                if (!more)
                {
                    if (subscription.Overflowed)
                    {
                        await body.WriteAsync(s_overflow, ended.Token);
                        await body.FlushAsync(ended.Token);
                    }

                    return;
                }

                // Everything buffered goes out in one write and one flush.
                buffer.Clear();
                while (buffer.WrittenCount < 256 * 1024 && reader.TryRead(out var e))
                {
                    Append(buffer, json, e);
                }

                await body.WriteAsync(buffer.WrittenMemory, ended.Token);
                await body.FlushAsync(ended.Token);
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The client went away or the server is stopping: nothing to report.
        }
    }

    /// <summary>One event in the SSE wire format: id, event name, and the CloudEvent JSON on one data line.</summary>
    internal static void Append(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, CloudEvent e)
    {
        Ascii(buffer, "id: ");
        Utf8(buffer, SingleLine(e.Id));
        Ascii(buffer, "\nevent: ");
        Ascii(buffer, EventName(e.Type));
        Ascii(buffer, "\ndata: ");
        json.Reset(buffer);
        CloudEventJson.Write(json, e);
        json.Flush();
        Ascii(buffer, "\n\n");
    }

    /// <summary><c>incident.opened|updated|resolved</c> for incidents, <c>finding</c> for every finding kind (the kind is in the data).</summary>
    internal static string EventName(string type) => type switch
    {
        "autopilot.incident.opened" => "incident.opened",
        "autopilot.incident.updated" => "incident.updated",
        "autopilot.incident.resolved" => "incident.resolved",
        _ when type.StartsWith("autopilot.finding.", StringComparison.Ordinal) => "finding",
        _ => "message",
    };

    // An id is one line of the wire format: a line break inside would end it early.
    private static string SingleLine(string text) => text.AsSpan().IndexOfAny('\r', '\n') < 0 ? text : text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);

    private static void Ascii(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        buffer.Advance(text.Length);
    }

    private static void Utf8(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        buffer.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
