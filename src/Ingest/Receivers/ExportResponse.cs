using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// Export{Traces,Metrics,Logs}ServiceResponse: empty when everything was accepted, else
/// <c>partial_success { rejected_* = 1; error_message = 2 }</c> (the same field numbers for all three).
/// </summary>
internal static class ExportResponse
{
    public static byte[] ToProtobuf(DecodedRequest result)
    {
        if (result.RejectedItems == 0)
        {
            return [];
        }

        using var partial = new MemoryStream();
        var p = new CodedOutputStream(partial);
        p.WriteTag(1, WireFormat.WireType.Varint);
        p.WriteInt64(result.RejectedItems);
        if (!string.IsNullOrEmpty(result.FirstError))
        {
            p.WriteTag(2, WireFormat.WireType.LengthDelimited);
            p.WriteString(result.FirstError);
        }

        p.Flush();
        using var response = new MemoryStream();
        var r = new CodedOutputStream(response);
        r.WriteTag(1, WireFormat.WireType.LengthDelimited);
        r.WriteBytes(ByteString.CopyFrom(partial.ToArray()));
        r.Flush();
        return response.ToArray();
    }

    public static string ToJson(IngestSignal signal, DecodedRequest result)
    {
        if (result.RejectedItems == 0)
        {
            return "{}";
        }

        var field = signal switch
        {
            IngestSignal.Traces => "rejectedSpans",
            IngestSignal.Logs => "rejectedLogRecords",
            _ => "rejectedDataPoints",
        };
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("partialSuccess");
            json.WriteString(field, result.RejectedItems.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("errorMessage", result.FirstError ?? string.Empty);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
