using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Resource.V1;
using Autopilot.Ingest.Otlp.Proto.Trace.V1;
using Google.Protobuf;

namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>
/// Seeded random <c>ExportTraceServiceRequest</c>s built with Google.Protobuf's messages, aimed at every rule of the
/// normalizer: every well-known attribute key with every kind of value (numbers as strings, out-of-range numbers,
/// NaN, arrays, maps, empty and missing values), duplicate keys, missing resources and scopes, invalid and all-zero
/// ids, unknown span kinds and status codes, events and links, non-ASCII and long strings.
/// </summary>
internal static class TraceRequestGenerator
{
    private static readonly string[] WellKnownKeys =
    [
        "http.response.status_code", "http.status_code", "rpc.grpc.status_code",
        "messaging.system", "messaging.destination.name", "messaging.destination", "messaging.operation.type", "messaging.operation",
        "messaging.message.id", "messaging.message.conversation_id",
        "db.system.name", "db.system", "db.namespace", "db.name", "db.collection.name", "db.sql.table", "db.operation.name", "db.operation",
    ];

    private static readonly string[] ResourceKeys =
        ["service.name", "deployment.environment.name", "deployment.environment", "service.namespace", "service.version", "host.name", "k8s.pod.name"];

    private static readonly string[] OtherKeys =
        ["http.request.method", "url.path", "url.full", "server.port", "app.tenant", "", "ключ", "emoji😀", new string('k', 150), "span.kind", "service"];

    private static readonly string[] Strings =
    [
        "", "200", "503", " 200", "-5", "+7", "2147483648", "-2147483648", "0x10", "kafka", "orders", "postgresql", "shop", "SELECT",
        "publish", "Ünïcödé", "日本語", "😀", "a:b/c%d?e#f", "line\nbreak\t\"quoted\"\\", "\u0001ctl", new string('x', 127), new string('y', 129),
        new string('z', 400), "\uD800lone surrogate",
    ];

    public static ExportTraceServiceRequest Build(Random random)
    {
        var request = new ExportTraceServiceRequest();
        var resources = random.Next(0, 4);
        for (var r = 0; r < resources; r++)
        {
            var resourceSpans = new ResourceSpans();
            if (random.Next(5) != 0)
            {
                resourceSpans.Resource = BuildResource(random);
            }

            if (random.Next(3) == 0)
            {
                resourceSpans.SchemaUrl = "https://opentelemetry.io/schemas/1.26.0";
            }

            var scopes = random.Next(0, 3);
            for (var s = 0; s < scopes; s++)
            {
                var scopeSpans = new ScopeSpans();
                if (random.Next(4) != 0)
                {
                    scopeSpans.Scope = new InstrumentationScope { Name = Pick(random, Strings), Version = "1.0" };
                    if (random.Next(3) == 0)
                    {
                        scopeSpans.Scope.Attributes.Add(RandomKeyValue(random, OtherKeys));
                    }
                }

                var spans = random.Next(0, 6);
                for (var i = 0; i < spans; i++)
                {
                    scopeSpans.Spans.Add(BuildSpan(random));
                }

                resourceSpans.ScopeSpans.Add(scopeSpans);
            }

            request.ResourceSpans.Add(resourceSpans);
        }

        return request;
    }

    private static Resource BuildResource(Random random)
    {
        var resource = new Resource();
        var count = random.Next(0, 8);
        for (var i = 0; i < count; i++)
        {
            var key = random.Next(4) == 0 ? Pick(random, OtherKeys) : Pick(random, ResourceKeys);
            var kv = new KeyValue { Key = key };
            if (random.Next(8) != 0)
            {
                kv.Value = random.Next(3) == 0 ? RandomValue(random, 0) : new AnyValue { StringValue = Pick(random, Strings) };
            }

            resource.Attributes.Add(kv);
        }

        if (random.Next(6) == 0)
        {
            resource.EntityRefs.Add(new EntityRef { Type = "service", IdKeys = { "service.name" } });
        }

        resource.DroppedAttributesCount = (uint)random.Next(0, 3);
        return resource;
    }

    private static Span BuildSpan(Random random)
    {
        var span = new Span
        {
            TraceId = Id(random, 16),
            SpanId = Id(random, 8),
            Name = Pick(random, Strings),
            Kind = (Span.Types.SpanKind)random.Next(-1, 8),
            StartTimeUnixNano = RandomTime(random),
            EndTimeUnixNano = RandomTime(random),
            Flags = (uint)random.Next(0, 0x300),
        };

        if (random.Next(3) != 0)
        {
            span.ParentSpanId = random.Next(6) == 0 ? ByteString.CopyFrom(new byte[random.Next(0, 10)]) : Id(random, 8);
        }

        if (random.Next(4) == 0)
        {
            span.TraceState = "vendor=value";
        }

        var attributes = random.Next(0, 14);
        for (var i = 0; i < attributes; i++)
        {
            span.Attributes.Add(RandomKeyValue(random, random.Next(2) == 0 ? WellKnownKeys : OtherKeys));
        }

        switch (random.Next(5))
        {
            case 0:
                break;
            case 1:
                span.Status = new Status();
                break;
            default:
                span.Status = new Status { Code = (Status.Types.StatusCode)random.Next(-1, 5), Message = random.Next(2) == 0 ? "" : Pick(random, Strings) };
                break;
        }

        if (random.Next(4) == 0)
        {
            var spanEvent = new Span.Types.Event { Name = "exception", TimeUnixNano = RandomTime(random) };
            spanEvent.Attributes.Add(RandomKeyValue(random, OtherKeys));
            span.Events.Add(spanEvent);
        }

        if (random.Next(5) == 0)
        {
            var link = new Span.Types.Link { TraceId = Id(random, 16), SpanId = Id(random, 8), TraceState = "a=b", Flags = 1 };
            link.Attributes.Add(RandomKeyValue(random, OtherKeys));
            span.Links.Add(link);
        }

        return span;
    }

    private static KeyValue RandomKeyValue(Random random, string[] keys)
    {
        var kv = new KeyValue { Key = Pick(random, keys) };
        if (random.Next(10) != 0)
        {
            kv.Value = RandomValue(random, 0);
        }

        return kv;
    }

    private static AnyValue RandomValue(Random random, int depth)
    {
        switch (random.Next(depth < 3 ? 10 : 8))
        {
            case 0:
            case 1:
                return new AnyValue { StringValue = Pick(random, Strings) };
            case 2:
                return new AnyValue
                {
                    IntValue = random.Next(6) switch
                    {
                        0 => 200,
                        1 => -1,
                        2 => long.MaxValue,
                        3 => int.MaxValue + 1L,
                        4 => int.MinValue,
                        _ => random.NextInt64(-100_000, 100_000),
                    },
                };
            case 3:
                return new AnyValue
                {
                    DoubleValue = random.Next(10) switch
                    {
                        0 => double.NaN,
                        1 => double.PositiveInfinity,
                        2 => double.NegativeInfinity,
                        3 => -0.0,
                        4 => 1e300,
                        5 => 200.7,
                        6 => 3e9,
                        7 => -2147483648.5,
                        8 => 5e-324,
                        _ => Math.Round(random.NextDouble() * 1000, random.Next(0, 6)),
                    },
                };
            case 4:
                return new AnyValue { BoolValue = random.Next(2) == 0 };
            case 5:
                var bytes = new byte[random.Next(0, 20)];
                random.NextBytes(bytes);
                return new AnyValue { BytesValue = ByteString.CopyFrom(bytes) };
            case 6:
                return new AnyValue();
            case 7:
                return new AnyValue { StringValue = random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            case 8:
                var array = new ArrayValue();
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    array.Values.Add(RandomValue(random, depth + 1));
                }

                return new AnyValue { ArrayValue = array };
            default:
                var list = new KeyValueList();
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    var kv = new KeyValue { Key = Pick(random, Strings) };
                    if (random.Next(4) != 0)
                    {
                        kv.Value = RandomValue(random, depth + 1);
                    }

                    list.Values.Add(kv);
                }

                return new AnyValue { KvlistValue = list };
        }
    }

    private static ByteString Id(Random random, int length)
    {
        var bytes = random.Next(12) switch
        {
            0 => new byte[length],
            1 => new byte[random.Next(0, length + 3)],
            _ => new byte[length],
        };
        if (bytes.Length == length && random.Next(12) != 0)
        {
            random.NextBytes(bytes);
        }

        return ByteString.CopyFrom(bytes);
    }

    private static ulong RandomTime(Random random) => random.Next(8) switch
    {
        0 => 0,
        1 => ulong.MaxValue,
        2 => (ulong)long.MaxValue + 1,
        _ => 1_700_000_000_000_000_000UL + (ulong)random.NextInt64(0, 10_000_000_000),
    };

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
