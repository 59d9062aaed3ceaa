using System.Text.Json;
using Autopilot.Ingest.Otlp.Proto.Collector.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Logs.V1;

namespace Autopilot.Ingest.Otlp.Json;

/// <summary>JSON readers for the log messages.</summary>
internal static class OtlpJsonLogs
{
    private static readonly FieldTable RootFields = new("resourceLogs", "result", "resource", "scopeLogs", "schemaUrl");
    private static readonly FieldTable ResourceLogsFields = new("resource", "scopeLogs", "schemaUrl");
    private static readonly FieldTable ScopeLogsFields = new("scope", "logRecords", "schemaUrl");
    private static readonly FieldTable RecordFields = new(
        "timeUnixNano", "observedTimeUnixNano", "severityNumber", "severityText", "body", "attributes",
        "droppedAttributesCount", "flags", "traceId", "spanId", "eventName");

    /// <summary>An export request, a bare ResourceLogs object, or either under <c>"result"</c>.</summary>
    public static void ReadRoot(ref Utf8JsonReader reader, JsonCursor cursor, ExportLogsServiceRequest request)
    {
        cursor.ExpectObject(ref reader);
        ResourceLogs? bare = null;
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = RootFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "resourceLogs":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        request.ResourceLogs.Add(ReadResourceLogs(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
                case "result":
                    ReadRoot(ref reader, cursor, request);
                    break;
                default:
                    ReadResourceLogsField(ref reader, cursor, bare ??= new ResourceLogs(), field!);
                    break;
            }

            cursor.Pop();
        }

        if (bare is not null)
        {
            request.ResourceLogs.Add(bare);
        }
    }

    private static ResourceLogs ReadResourceLogs(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var resourceLogs = new ResourceLogs();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ResourceLogsFields.Match(ref reader);
            if (cursor.EnterValue(ref reader, field))
            {
                ReadResourceLogsField(ref reader, cursor, resourceLogs, field!);
                cursor.Pop();
            }
        }

        return resourceLogs;
    }

    private static void ReadResourceLogsField(ref Utf8JsonReader reader, JsonCursor cursor, ResourceLogs target, string field)
    {
        switch (field)
        {
            case "resource":
                target.Resource = OtlpJsonCommon.ReadResource(ref reader, cursor);
                break;
            case "scopeLogs":
                cursor.ExpectArray(ref reader);
                for (var i = 0; cursor.NextElement(ref reader, i); i++)
                {
                    target.ScopeLogs.Add(ReadScopeLogs(ref reader, cursor));
                    cursor.Pop();
                }

                break;
            default:
                target.SchemaUrl = cursor.ReadString(ref reader);
                break;
        }
    }

    private static ScopeLogs ReadScopeLogs(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var scopeLogs = new ScopeLogs();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ScopeLogsFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "scope":
                    scopeLogs.Scope = OtlpJsonCommon.ReadScope(ref reader, cursor);
                    break;
                case "logRecords":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        scopeLogs.LogRecords.Add(ReadRecord(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
                default:
                    scopeLogs.SchemaUrl = cursor.ReadString(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return scopeLogs;
    }

    private static LogRecord ReadRecord(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var record = new LogRecord();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = RecordFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "timeUnixNano":
                    record.TimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "observedTimeUnixNano":
                    record.ObservedTimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "severityNumber":
                    record.SeverityNumber = (SeverityNumber)JsonEnum.SeverityNumber.Read(ref reader, cursor);
                    break;
                case "severityText":
                    record.SeverityText = cursor.ReadString(ref reader);
                    break;
                case "body":
                    record.Body = OtlpJsonCommon.ReadAnyValue(ref reader, cursor);
                    break;
                case "attributes":
                    OtlpJsonCommon.ReadAttributes(ref reader, cursor, record.Attributes);
                    break;
                case "droppedAttributesCount":
                    record.DroppedAttributesCount = cursor.ReadUInt32(ref reader);
                    break;
                case "flags":
                    record.Flags = cursor.ReadUInt32(ref reader);
                    break;
                case "traceId":
                    record.TraceId = cursor.ReadId(ref reader, 16);
                    break;
                case "spanId":
                    record.SpanId = cursor.ReadId(ref reader, 8);
                    break;
                default:
                    record.EventName = cursor.ReadString(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return record;
    }
}
