using System.Globalization;
using System.Text.Json;
using Autopilot.Ingest.Otlp.Proto.Collector.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Metrics.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;

namespace Autopilot.Ingest.Otlp.Json;

/// <summary>
/// OTLP/JSON to request messages, on <see cref="Utf8JsonReader"/> (no DOM, no copy of the payload).
/// Accepts both dialects found in the wild: OTLP/JSON (hex ids, integer enums) and plain proto3 JSON
/// (base64 ids, enum names); camelCase or snake_case field names; 64-bit integers and doubles as
/// numbers or strings; unknown fields ignored. Also accepts a bare Resource{Spans,Metrics,Logs} object
/// and a <c>{"result": ...}</c> wrapper. Any problem is an <see cref="OtlpFormatException"/> naming the path.
/// </summary>
internal static class OtlpJsonReader
{
    /// <summary>
    /// JSON nesting limit: room for <see cref="JsonCursor.MaxAnyValueDepth"/> levels of key-value lists
    /// (4 JSON levels each) under the 8 levels of envelope, so the AnyValue limit, with its clearer message,
    /// is the one legitimate payloads meet first.
    /// </summary>
    internal const int MaxJsonDepth = 160;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxJsonDepth };

    public static ExportTraceServiceRequest ReadTraces(ReadOnlySpan<byte> utf8)
    {
        var request = new ExportTraceServiceRequest();
        Read(utf8, "traces", string.Empty, request, static (ref r, c, req) => OtlpJsonTraces.ReadRoot(ref r, c, req));
        return request;
    }

    public static ExportMetricsServiceRequest ReadMetrics(ReadOnlySpan<byte> utf8)
    {
        var request = new ExportMetricsServiceRequest();
        Read(utf8, "metrics", string.Empty, request, static (ref r, c, req) => OtlpJsonMetrics.ReadRoot(ref r, c, req));
        return request;
    }

    public static ExportLogsServiceRequest ReadLogs(ReadOnlySpan<byte> utf8)
    {
        var request = new ExportLogsServiceRequest();
        Read(utf8, "logs", string.Empty, request, static (ref r, c, req) => OtlpJsonLogs.ReadRoot(ref r, c, req));
        return request;
    }

    /// <summary>JSON Lines: one traces request per non-blank line, appended to <paramref name="output"/>.</summary>
    public static void ReadTracesLines(ReadOnlySpan<byte> utf8, List<ExportTraceServiceRequest> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var cursor = new JsonCursor();
        for (var line = 1; NextLine(ref utf8, out var text); line++)
        {
            if (!text.IsEmpty)
            {
                var request = new ExportTraceServiceRequest();
                Read(text, "traces", LinePrefix(line), request, static (ref r, c, req) => OtlpJsonTraces.ReadRoot(ref r, c, req), cursor);
                output.Add(request);
            }
        }
    }

    /// <summary>JSON Lines: one metrics request per non-blank line, appended to <paramref name="output"/>.</summary>
    public static void ReadMetricsLines(ReadOnlySpan<byte> utf8, List<ExportMetricsServiceRequest> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var cursor = new JsonCursor();
        for (var line = 1; NextLine(ref utf8, out var text); line++)
        {
            if (!text.IsEmpty)
            {
                var request = new ExportMetricsServiceRequest();
                Read(text, "metrics", LinePrefix(line), request, static (ref r, c, req) => OtlpJsonMetrics.ReadRoot(ref r, c, req), cursor);
                output.Add(request);
            }
        }
    }

    /// <summary>JSON Lines: one logs request per non-blank line, appended to <paramref name="output"/>.</summary>
    public static void ReadLogsLines(ReadOnlySpan<byte> utf8, List<ExportLogsServiceRequest> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var cursor = new JsonCursor();
        for (var line = 1; NextLine(ref utf8, out var text); line++)
        {
            if (!text.IsEmpty)
            {
                var request = new ExportLogsServiceRequest();
                Read(text, "logs", LinePrefix(line), request, static (ref r, c, req) => OtlpJsonLogs.ReadRoot(ref r, c, req), cursor);
                output.Add(request);
            }
        }
    }

    private delegate void RootReader<in T>(ref Utf8JsonReader reader, JsonCursor cursor, T request);

    private static void Read<T>(ReadOnlySpan<byte> utf8, string what, string prefix, T request, RootReader<T> readRoot, JsonCursor? cursor = null)
    {
        if (utf8.StartsWith("\xEF\xBB\xBF"u8))
        {
            utf8 = utf8[3..];
        }

        cursor ??= new JsonCursor();
        cursor.Reset(prefix);
        try
        {
            var reader = new Utf8JsonReader(utf8, Options);
            if (!reader.Read())
            {
                throw new OtlpFormatException($"{prefix}{what} request is empty");
            }

            readRoot(ref reader, cursor, request);

            // Anything after the root value (a second document, garbage) makes the reader throw.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw new OtlpFormatException($"{prefix}{what} request is not valid JSON{Position(e)}: {WithoutPosition(e.Message)}", e);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader reports invalid UTF-8 inside a string when the string is transcoded.
            throw new OtlpFormatException($"{prefix}{what} request is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The reader counts from 0; people count lines and columns from 1.</summary>
    private static string Position(JsonException e) =>
        e.LineNumber is { } line && e.BytePositionInLine is { } column
            ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, byte {column + 1}")
            : string.Empty;

    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }

    private static string LinePrefix(int line) => "line " + line.ToString(CultureInfo.InvariantCulture) + ": ";

    /// <summary>Splits off the next line (without its terminator, trimmed); false when nothing is left.</summary>
    private static bool NextLine(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> line)
    {
        if (rest.IsEmpty)
        {
            line = default;
            return false;
        }

        var newline = rest.IndexOf((byte)'\n');
        if (newline < 0)
        {
            line = rest;
            rest = default;
        }
        else
        {
            line = rest[..newline];
            rest = rest[(newline + 1)..];
        }

        line = line.Trim(" \t\r"u8);
        return true;
    }
}
