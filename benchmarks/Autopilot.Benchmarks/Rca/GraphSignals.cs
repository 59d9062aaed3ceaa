using System.Globalization;
using System.Text;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;

namespace Autopilot.Benchmarks.Rca;

/// <summary>
/// Canonical signals of a microservice estate as the server decodes them: OTLP/JSON requests of 50 traces each
/// go through the real <see cref="SignalDecoder"/>, so the attribute sets are the normalizer's. 40 services in
/// one environment; a trace is edge → api (client/server pair), api → backend (pair), a database call in the
/// backend (SELECT on one of 30 tables, one in three an INSERT), in one trace of four a Kafka publish and its
/// consumer, and two internal spans. One trace starts every 2 ms of event time.
/// </summary>
internal static class GraphSignals
{
    public const long StepNanos = 2_000_000;
    private const int TracesPerRequest = 50;
    private const long Start = 1_767_225_600_000_000_000;

    public static List<Signal>[] Build(int traces, int seed)
    {
        var random = new Random(seed);
        var decoder = new SignalDecoder(new IngestOptions());
        var requests = new List<List<Signal>>();
        for (var first = 0; first < traces; first += TracesPerRequest)
        {
            var spans = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            for (var t = first; t < Math.Min(traces, first + TracesPerRequest); t++)
            {
                AddTrace(random, t, spans);
            }

            var json = new StringBuilder("{\"resourceSpans\":[");
            var r = 0;
            foreach (var (service, list) in spans)
            {
                json.Append(r++ > 0 ? "," : string.Empty)
                    .Append("{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"").Append(service)
                    .Append("\"}},{\"key\":\"deployment.environment.name\",\"value\":{\"stringValue\":\"bench\"}},{\"key\":\"service.version\",\"value\":{\"stringValue\":\"1.0.0\"}}]},")
                    .Append("\"scopeSpans\":[{\"scope\":{\"name\":\"bench\"},\"spans\":[").AppendJoin(',', list).Append("]}]}");
            }

            json.Append("]}");
            var decoded = new DecodedRequest();
            decoder.Decode(IngestSignal.Traces, PayloadFormat.Json, Encoding.UTF8.GetBytes(json.ToString()), decoded);
            requests.Add([.. decoded.Signals]);
        }

        return [.. requests];
    }

    private static void AddTrace(Random random, int t, Dictionary<string, List<string>> spans)
    {
        var trace = $"{t + 1:x16}{random.NextInt64():x16}";
        var start = Start + (t * StepNanos);
        var edge = $"edge-{random.Next(4)}";
        var api = $"api-{random.Next(8)}";
        var backend = $"backend-{random.Next(20)}";
        ulong id = ((ulong)(t + 1) << 8) + 1;
        var edgeClient = id++;
        var apiServer = id++;
        var apiClient = id++;
        var backendServer = id++;
        Span(spans, edge, trace, edgeClient, 0, 3, "GET /orders", start, 40, random.Next(100) == 0);
        Span(spans, api, trace, apiServer, edgeClient, 2, "GET /orders", start + 1_000_000, 38, false);
        Span(spans, api, trace, id++, apiServer, 1, "validate", start + 2_000_000, 1, false);
        Span(spans, api, trace, apiClient, apiServer, 3, "GET /inventory", start + 3_000_000, 30, false);
        Span(spans, backend, trace, backendServer, apiClient, 2, "GET /inventory", start + 4_000_000, 28, random.Next(50) == 0);
        Span(spans, backend, trace, id++, backendServer, 1, "load", start + 4_500_000, 1, false);
        var table = $"table_{random.Next(30)}";
        var insert = random.Next(3) == 0;
        Span(spans, backend, trace, id++, backendServer, 3, (insert ? "INSERT shop." : "SELECT shop.") + table, start + 5_000_000, 3 + random.Next(20), false,
            ("db.system.name", "postgresql"), ("db.namespace", "shop"), ("db.collection.name", table), ("db.operation.name", insert ? "INSERT" : "SELECT"));
        if (t % 4 == 0)
        {
            var topic = $"events-{random.Next(10)}";
            var publish = id++;
            Span(spans, backend, trace, publish, backendServer, 4, topic + " publish", start + 6_000_000, 2, false,
                ("messaging.system", "kafka"), ("messaging.destination.name", topic), ("messaging.operation.type", "send"));
            Span(spans, $"worker-{random.Next(8)}", trace, id, publish, 5, topic + " process", start + 9_000_000, 12, false,
                ("messaging.system", "kafka"), ("messaging.destination.name", topic), ("messaging.operation.type", "process"));
        }
    }

    private static void Span(Dictionary<string, List<string>> spans, string service, string trace, ulong id, ulong parent, int kind, string name, long start, double ms, bool error, params (string Key, string Value)[] attributes)
    {
        if (!spans.TryGetValue(service, out var list))
        {
            list = [];
            spans[service] = list;
        }

        var sb = new StringBuilder(256);
        sb.Append(CultureInfo.InvariantCulture, $"{{\"traceId\":\"{trace}\",\"spanId\":\"{id:x16}\",");
        if (parent != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\"parentSpanId\":\"{parent:x16}\",");
        }

        sb.Append(CultureInfo.InvariantCulture, $"\"name\":\"{name}\",\"kind\":{kind},\"startTimeUnixNano\":\"{start}\",\"endTimeUnixNano\":\"{start + (long)(ms * 1_000_000)}\"");
        sb.Append(",\"attributes\":[");
        for (var i = 0; i < attributes.Length; i++)
        {
            sb.Append(i > 0 ? "," : string.Empty).Append("{\"key\":\"").Append(attributes[i].Key).Append("\",\"value\":{\"stringValue\":\"").Append(attributes[i].Value).Append("\"}}");
        }

        sb.Append(']');
        if (error)
        {
            sb.Append(",\"status\":{\"code\":2}");
        }

        list.Add(sb.Append('}').ToString());
    }
}
