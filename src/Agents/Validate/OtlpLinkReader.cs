using System.Text.Json;
using Google.Protobuf;

namespace Autopilot.Agents.Validate;

/// <summary>
/// Reads span links out of an OTLP trace export request, which the canonical signals do not carry. A consumer
/// span linked to the producer span whose context its message carried is how OpenTelemetry's messaging
/// conventions record propagation across message headers, so the validator needs them. Only the fields on the
/// way to the links are read (ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) →
/// ScopeSpans.spans(2) → Span.trace_id(1), span_id(2), links(13) → Link.trace_id(1), span_id(2)); the request
/// has already been decoded and validated by the ingest decoder.
/// </summary>
internal static class OtlpLinkReader
{
    public static Dictionary<(string TraceId, string SpanId), List<SpanLink>> FromProtobuf(ReadOnlySpan<byte> request)
    {
        var result = new Dictionary<(string, string), List<SpanLink>>();
        foreach (var resourceSpans in Fields(ByteString.CopyFrom(request), 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans, 2))
            {
                foreach (var span in Fields(scopeSpans, 2))
                {
                    ReadSpan(span, result);
                }
            }
        }

        return result;
    }

    public static Dictionary<(string TraceId, string SpanId), List<SpanLink>> FromJson(ReadOnlySpan<byte> request)
    {
        var result = new Dictionary<(string, string), List<SpanLink>>();
        using var doc = JsonDocument.Parse(request.ToArray());
        foreach (var resourceSpans in Array(doc.RootElement, "resourceSpans", "resource_spans"))
        {
            foreach (var scopeSpans in Array(resourceSpans, "scopeSpans", "scope_spans"))
            {
                foreach (var span in Array(scopeSpans, "spans", "spans"))
                {
                    var links = new List<SpanLink>();
                    foreach (var link in Array(span, "links", "links"))
                    {
                        if (Id(link, "traceId", "trace_id", 16) is { } t && Id(link, "spanId", "span_id", 8) is { } s)
                        {
                            links.Add(new SpanLink(t, s));
                        }
                    }

                    if (links.Count > 0 && Id(span, "traceId", "trace_id", 16) is { } traceId && Id(span, "spanId", "span_id", 8) is { } spanId)
                    {
                        result[(traceId, spanId)] = links;
                    }
                }
            }
        }

        return result;
    }

    private static void ReadSpan(ByteString span, Dictionary<(string, string), List<SpanLink>> into)
    {
        string? traceId = null, spanId = null;
        List<SpanLink>? links = null;
        var input = span.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (1, WireFormat.WireType.LengthDelimited):
                    traceId = Hex(input.ReadBytes(), 16);
                    break;
                case (2, WireFormat.WireType.LengthDelimited):
                    spanId = Hex(input.ReadBytes(), 8);
                    break;
                case (13, WireFormat.WireType.LengthDelimited):
                    var link = input.ReadBytes();
                    string? linkTrace = null, linkSpan = null;
                    var linkInput = link.CreateCodedInput();
                    uint linkTag;
                    while ((linkTag = linkInput.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(linkTag), WireFormat.GetTagWireType(linkTag))
                        {
                            case (1, WireFormat.WireType.LengthDelimited):
                                linkTrace = Hex(linkInput.ReadBytes(), 16);
                                break;
                            case (2, WireFormat.WireType.LengthDelimited):
                                linkSpan = Hex(linkInput.ReadBytes(), 8);
                                break;
                            default:
                                linkInput.SkipLastField();
                                break;
                        }
                    }

                    if (linkTrace is not null && linkSpan is not null)
                    {
                        (links ??= []).Add(new SpanLink(linkTrace, linkSpan));
                    }

                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        if (links is not null && traceId is not null && spanId is not null)
        {
            into[(traceId, spanId)] = links;
        }
    }

    /// <summary>Every length-delimited occurrence of field <paramref name="number"/> in <paramref name="message"/>.</summary>
    private static List<ByteString> Fields(ByteString message, int number)
    {
        var list = new List<ByteString>();
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                list.Add(input.ReadBytes());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return list;
    }

    private static string? Hex(ByteString bytes, int length) => bytes.Length == length ? Convert.ToHexStringLower(bytes.Span) : null;

    private static JsonElement.ArrayEnumerator Array(JsonElement parent, string camel, string snake)
    {
        if (parent.ValueKind == JsonValueKind.Object
            && (parent.TryGetProperty(camel, out var value) || parent.TryGetProperty(snake, out value))
            && value.ValueKind == JsonValueKind.Array)
        {
            return value.EnumerateArray();
        }

        return default;
    }

    /// <summary>An id in either OTLP/JSON dialect: hex (the OTLP spec) or base64 (proto3 JSON).</summary>
    private static string? Id(JsonElement parent, string camel, string snake, int bytes)
    {
        if (!(parent.TryGetProperty(camel, out var value) || parent.TryGetProperty(snake, out value)) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString()!;
        if (text.Length == bytes * 2 && text.All(Uri.IsHexDigit))
        {
            return text.ToLowerInvariant();
        }

        var buffer = new byte[bytes + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) && written == bytes ? Convert.ToHexStringLower(buffer.AsSpan(0, bytes)) : null;
    }
}
