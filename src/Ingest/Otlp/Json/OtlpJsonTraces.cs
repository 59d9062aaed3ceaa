using System.Text.Json;
using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Otlp.Proto.Trace.V1;

namespace Autopilot.Ingest.Otlp.Json;

/// <summary>JSON readers for the trace messages.</summary>
internal static class OtlpJsonTraces
{
    private static readonly FieldTable RootFields = new("resourceSpans", "result", "resource", "scopeSpans", "schemaUrl");
    private static readonly FieldTable ResourceSpansFields = new("resource", "scopeSpans", "schemaUrl");
    private static readonly FieldTable ScopeSpansFields = new("scope", "spans", "schemaUrl");
    private static readonly FieldTable SpanFields = new(
        "traceId", "spanId", "traceState", "parentSpanId", "flags", "name", "kind", "startTimeUnixNano", "endTimeUnixNano",
        "attributes", "droppedAttributesCount", "events", "droppedEventsCount", "links", "droppedLinksCount", "status");
    private static readonly FieldTable EventFields = new("timeUnixNano", "name", "attributes", "droppedAttributesCount");
    private static readonly FieldTable LinkFields = new("traceId", "spanId", "traceState", "attributes", "droppedAttributesCount", "flags");
    private static readonly FieldTable StatusFields = new("message", "code");

    /// <summary>
    /// An export request, a bare ResourceSpans object (what the Java logging exporter writes), or either of
    /// those under <c>"result"</c> (the Jaeger API v3 response).
    /// </summary>
    public static void ReadRoot(ref Utf8JsonReader reader, JsonCursor cursor, ExportTraceServiceRequest request)
    {
        cursor.ExpectObject(ref reader);
        ResourceSpans? bare = null;
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = RootFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "resourceSpans":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        request.ResourceSpans.Add(ReadResourceSpans(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
                case "result":
                    ReadRoot(ref reader, cursor, request);
                    break;
                default:
                    ReadResourceSpansField(ref reader, cursor, bare ??= new ResourceSpans(), field!);
                    break;
            }

            cursor.Pop();
        }

        if (bare is not null)
        {
            request.ResourceSpans.Add(bare);
        }
    }

    private static ResourceSpans ReadResourceSpans(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var resourceSpans = new ResourceSpans();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ResourceSpansFields.Match(ref reader);
            if (cursor.EnterValue(ref reader, field))
            {
                ReadResourceSpansField(ref reader, cursor, resourceSpans, field!);
                cursor.Pop();
            }
        }

        return resourceSpans;
    }

    private static void ReadResourceSpansField(ref Utf8JsonReader reader, JsonCursor cursor, ResourceSpans target, string field)
    {
        switch (field)
        {
            case "resource":
                target.Resource = OtlpJsonCommon.ReadResource(ref reader, cursor);
                break;
            case "scopeSpans":
                cursor.ExpectArray(ref reader);
                for (var i = 0; cursor.NextElement(ref reader, i); i++)
                {
                    target.ScopeSpans.Add(ReadScopeSpans(ref reader, cursor));
                    cursor.Pop();
                }

                break;
            default:
                target.SchemaUrl = cursor.ReadString(ref reader);
                break;
        }
    }

    private static ScopeSpans ReadScopeSpans(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var scopeSpans = new ScopeSpans();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ScopeSpansFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "scope":
                    scopeSpans.Scope = OtlpJsonCommon.ReadScope(ref reader, cursor);
                    break;
                case "spans":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        scopeSpans.Spans.Add(ReadSpan(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
                default:
                    scopeSpans.SchemaUrl = cursor.ReadString(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return scopeSpans;
    }

    private static Span ReadSpan(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var span = new Span();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = SpanFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "traceId":
                    span.TraceId = cursor.ReadId(ref reader, 16);
                    break;
                case "spanId":
                    span.SpanId = cursor.ReadId(ref reader, 8);
                    break;
                case "traceState":
                    span.TraceState = cursor.ReadString(ref reader);
                    break;
                case "parentSpanId":
                    span.ParentSpanId = cursor.ReadId(ref reader, 8);
                    break;
                case "flags":
                    span.Flags = cursor.ReadUInt32(ref reader);
                    break;
                case "name":
                    span.Name = cursor.ReadString(ref reader);
                    break;
                case "kind":
                    span.Kind = (Span.Types.SpanKind)JsonEnum.SpanKind.Read(ref reader, cursor);
                    break;
                case "startTimeUnixNano":
                    span.StartTimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "endTimeUnixNano":
                    span.EndTimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "attributes":
                    OtlpJsonCommon.ReadAttributes(ref reader, cursor, span.Attributes);
                    break;
                case "droppedAttributesCount":
                    span.DroppedAttributesCount = cursor.ReadUInt32(ref reader);
                    break;
                case "events":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        span.Events.Add(ReadEvent(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
                case "droppedEventsCount":
                    span.DroppedEventsCount = cursor.ReadUInt32(ref reader);
                    break;
                case "links":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        span.Links.Add(ReadLink(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
                case "droppedLinksCount":
                    span.DroppedLinksCount = cursor.ReadUInt32(ref reader);
                    break;
                default:
                    span.Status = ReadStatus(ref reader, cursor);
                    break;
            }

            cursor.Pop();
        }

        return span;
    }

    private static Span.Types.Event ReadEvent(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var spanEvent = new Span.Types.Event();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = EventFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "timeUnixNano":
                    spanEvent.TimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "name":
                    spanEvent.Name = cursor.ReadString(ref reader);
                    break;
                case "attributes":
                    OtlpJsonCommon.ReadAttributes(ref reader, cursor, spanEvent.Attributes);
                    break;
                default:
                    spanEvent.DroppedAttributesCount = cursor.ReadUInt32(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return spanEvent;
    }

    private static Span.Types.Link ReadLink(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var link = new Span.Types.Link();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = LinkFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "traceId":
                    link.TraceId = cursor.ReadId(ref reader, 16);
                    break;
                case "spanId":
                    link.SpanId = cursor.ReadId(ref reader, 8);
                    break;
                case "traceState":
                    link.TraceState = cursor.ReadString(ref reader);
                    break;
                case "attributes":
                    OtlpJsonCommon.ReadAttributes(ref reader, cursor, link.Attributes);
                    break;
                case "droppedAttributesCount":
                    link.DroppedAttributesCount = cursor.ReadUInt32(ref reader);
                    break;
                default:
                    link.Flags = cursor.ReadUInt32(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return link;
    }

    private static Status ReadStatus(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var status = new Status();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = StatusFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            if (field == "message")
            {
                status.Message = cursor.ReadString(ref reader);
            }
            else
            {
                status.Code = (Status.Types.StatusCode)JsonEnum.StatusCode.Read(ref reader, cursor);
            }

            cursor.Pop();
        }

        return status;
    }
}
