using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;

namespace Autopilot.Rca.Tests.TestSupport;

/// <summary>
/// Writes OTLP/JSON trace requests the way exporters send them and decodes them with the server's own decoder,
/// so the graph builder sees exactly the attribute sets the normalizer produces (span.kind, span.parent_id,
/// service.version, and the topic / dataset records of messaging and database spans).
/// </summary>
internal sealed class Traces
{
    public const long T0 = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z
    public const long Second = 1_000_000_000;
    public const long Minute = 60 * Second;

    private static readonly SignalDecoder Decoder = new(new IngestOptions());
    private readonly JsonArray _resources = [];
    private JsonArray? _spans;

    /// <summary>Starts the spans of one service (resource); <paramref name="version"/> becomes <c>service.version</c>.</summary>
    public Traces Service(string name, string environment = "prod", string? version = null)
    {
        var attributes = new JsonArray
        {
            Attribute("service.name", name),
            Attribute("deployment.environment.name", environment),
        };
        if (version is not null)
        {
            attributes.Add(Attribute("service.version", version));
        }

        _spans = [];
        _resources.Add(new JsonObject
        {
            ["resource"] = new JsonObject { ["attributes"] = attributes },
            ["scopeSpans"] = new JsonArray { new JsonObject { ["scope"] = new JsonObject { ["name"] = "tests" }, ["spans"] = _spans } },
        });
        return this;
    }

    /// <summary>
    /// Adds a span of the current service. <paramref name="kind"/>: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
    /// </summary>
    public Traces Span(ulong trace, ulong spanId, ulong parentId, int kind, string name, long start, double durationMs, bool error = false, params (string Key, string Value)[] attributes)
    {
        if (_spans is null)
        {
            throw new InvalidOperationException("call Service() before Span()");
        }

        var list = new JsonArray();
        foreach (var (key, value) in attributes)
        {
            list.Add(Attribute(key, value));
        }

        var span = new JsonObject
        {
            ["traceId"] = TraceHex(trace),
            ["spanId"] = spanId.ToString("x16", CultureInfo.InvariantCulture),
            ["name"] = name,
            ["kind"] = kind,
            ["startTimeUnixNano"] = start.ToString(CultureInfo.InvariantCulture),
            ["endTimeUnixNano"] = (start + (long)(durationMs * 1_000_000)).ToString(CultureInfo.InvariantCulture),
            ["attributes"] = list,
        };
        if (parentId != 0)
        {
            span["parentSpanId"] = parentId.ToString("x16", CultureInfo.InvariantCulture);
        }

        if (error)
        {
            span["status"] = new JsonObject { ["code"] = 2, ["message"] = "failed" };
        }

        _spans.Add(span);
        return this;
    }

    public byte[] Json() => Encoding.UTF8.GetBytes(new JsonObject { ["resourceSpans"] = _resources.DeepClone() }.ToJsonString());

    /// <summary>The canonical signals the server makes of this request.</summary>
    public List<Signal> Decode()
    {
        var decoded = new DecodedRequest();
        Decoder.Decode(IngestSignal.Traces, PayloadFormat.Json, Json(), decoded);
        Assert.Equal(0, decoded.RejectedItems);
        return decoded.Signals;
    }

    /// <summary>The canonical signals of an OpenLineage event (JSON text).</summary>
    public static List<Signal> DecodeLineage(string json)
    {
        var decoded = new DecodedRequest();
        Decoder.Decode(IngestSignal.Lineage, PayloadFormat.Json, Encoding.UTF8.GetBytes(json), decoded);
        return decoded.Signals;
    }

    public static string ServiceUrn(string name, string environment = "prod") => Urn.Create("service", environment, name);

    public static string TraceHex(ulong trace) => "00000000000000aa" + trace.ToString("x16", CultureInfo.InvariantCulture);

    private static JsonObject Attribute(string key, string value) => new() { ["key"] = key, ["value"] = new JsonObject { ["stringValue"] = value } };
}
