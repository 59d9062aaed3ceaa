using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Trace.V1;
using Google.Protobuf;

using static Autopilot.LoadGen.PayloadParts;

namespace Autopilot.LoadGen;

/// <summary>
/// Pre-encoded OTLP <c>ExportTraceServiceRequest</c>s, each already in a gRPC frame: the payload class of
/// the OpenTelemetry Collector's single-core benchmark (1000 spans per request, about 800 bytes per span).
/// Each request carries several services (one ResourceSpans each), HTTP server and client spans with
/// the usual semantic-convention attributes, some database client spans (which make the server derive
/// a dataset URN) and a few custom attributes. Seeded, so every run sends the same bytes.
/// </summary>
internal static class TracePayloads
{
    private static readonly string[] s_methods = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
    private static readonly string[] s_userAgents =
    [
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
        "okhttp/4.12.0 (shop-android 7.31.2; Android 14; Pixel 8)",
        "Go-http-client/1.1",
    ];

    /// <summary>One encoded request plus its gRPC frame; <see cref="Spans"/> counts the spans in it.</summary>
    public sealed record Payload(byte[] GrpcFrame, int MessageBytes, int Spans);

    public static Payload[] Build(int count, int spansPerRequest, int seed) =>
        Array.ConvertAll(
            FrameEach(count, seed, (random, p, now) => BuildRequest(random, spansPerRequest, now + ((ulong)p * 1_000_000_000UL))),
            f => new Payload(f.Frame, f.MessageBytes, spansPerRequest));

    private static ExportTraceServiceRequest BuildRequest(Random random, int spans, ulong baseTime)
    {
        var request = new ExportTraceServiceRequest();
        var perService = spans / Services.Length;
        for (var s = 0; s < Services.Length; s++)
        {
            var n = s == Services.Length - 1 ? spans - (perService * (Services.Length - 1)) : perService;
            var resourceSpans = new ResourceSpans
            {
                Resource = PayloadParts.Resource(s),
                SchemaUrl = PayloadParts.SchemaUrl,
            };
            var scopeSpans = new ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore", Version = "9.0.0" } };
            for (var i = 0; i < n; i++)
            {
                scopeSpans.Spans.Add(BuildSpan(random, s, i, baseTime));
            }

            resourceSpans.ScopeSpans.Add(scopeSpans);
            request.ResourceSpans.Add(resourceSpans);
        }

        return request;
    }

    private static Span BuildSpan(Random random, int service, int index, ulong baseTime)
    {
        var traceId = new byte[16];
        var spanId = new byte[8];
        var parentId = new byte[8];
        random.NextBytes(traceId);
        random.NextBytes(spanId);
        random.NextBytes(parentId);
        traceId[0] |= 1;
        spanId[0] |= 1;
        var start = baseTime + ((ulong)index * 250_000UL);
        var duration = (ulong)random.Next(200_000, 250_000_000);
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(traceId),
            SpanId = ByteString.CopyFrom(spanId),
            ParentSpanId = ByteString.CopyFrom(parentId),
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + duration,
            Flags = 1,
        };

        // One span in ten is a database call: the server derives a dataset URN and a record signal from it.
        if (index % 10 == 9)
        {
            var table = Tables[random.Next(Tables.Length)];
            span.Name = "SELECT shop." + table;
            span.Kind = Span.Types.SpanKind.Client;
            span.Attributes.Add(Str("db.system.name", "postgresql"));
            span.Attributes.Add(Str("db.namespace", "shop"));
            span.Attributes.Add(Str("db.collection.name", table));
            span.Attributes.Add(Str("db.operation.name", "SELECT"));
            span.Attributes.Add(Str("db.query.text", $"SELECT id, status, total_cents, updated_at FROM shop.{table} WHERE customer_id = $1 AND status = ANY($2) ORDER BY updated_at DESC LIMIT 50"));
            span.Attributes.Add(Str("server.address", "orders-db.shop.svc.cluster.local"));
            span.Attributes.Add(Int("server.port", 5432));
            span.Attributes.Add(Int("db.response.returned_rows", random.Next(0, 50)));
            span.Attributes.Add(Str("network.peer.address", "10.0.7." + random.Next(2, 250)));
            span.Status = new Status { Code = Status.Types.StatusCode.Unset };
        }
        else
        {
            var route = Routes[(service + index) % Routes.Length];
            var method = s_methods[random.Next(s_methods.Length)];
            var status = random.Next(100) switch { < 90 => 200, < 95 => 404, < 98 => 429, _ => 503 };
            var id = random.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            span.Name = method + " " + route;
            span.Kind = index % 3 == 0 ? Span.Types.SpanKind.Client : Span.Types.SpanKind.Server;
            span.Attributes.Add(Str("http.request.method", method));
            span.Attributes.Add(Str("url.path", route.Replace("{id}", id, StringComparison.Ordinal).Replace("{sku}", "SKU-" + id, StringComparison.Ordinal)));
            span.Attributes.Add(Str("url.scheme", "https"));
            span.Attributes.Add(Str("url.full", $"https://{Services[service]}.shop.example.com{route.Replace("{id}", id, StringComparison.Ordinal).Replace("{sku}", "SKU-" + id, StringComparison.Ordinal)}?expand=items,customer&currency=EUR&page={random.Next(1, 9)}"));
            span.Attributes.Add(Str("app.feature_flags", "checkout-v2,new-pricing,async-inventory"));
            span.Attributes.Add(Str("http.route", route));
            span.Attributes.Add(Int("http.response.status_code", status));
            span.Attributes.Add(Str("server.address", Services[service] + ".shop.svc.cluster.local"));
            span.Attributes.Add(Int("server.port", 8080));
            span.Attributes.Add(Str("network.protocol.version", "1.1"));
            span.Attributes.Add(Str("client.address", "10.0." + random.Next(0, 8) + "." + random.Next(2, 250)));
            span.Attributes.Add(Str("user_agent.original", s_userAgents[random.Next(s_userAgents.Length)]));
            span.Attributes.Add(Str("app.tenant.id", "tenant-" + random.Next(1, 40)));
            span.Attributes.Add(Str("app.request.id", random.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + random.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture)));
            span.Attributes.Add(Bool("app.cache.hit", random.Next(2) == 0));
            span.Attributes.Add(Int("app.items.count", random.Next(0, 30)));
            span.Attributes.Add(Dbl("app.order.total", Math.Round(random.NextDouble() * 500, 2)));
            span.Status = status >= 500
                ? new Status { Code = Status.Types.StatusCode.Error, Message = "upstream unavailable" }
                : new Status { Code = Status.Types.StatusCode.Unset };
        }

        return span;
    }




}
