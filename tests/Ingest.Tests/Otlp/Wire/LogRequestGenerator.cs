using Autopilot.Ingest.Otlp.Proto.Collector.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Resource.V1;
using Google.Protobuf;

namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>
/// Seeded random <c>ExportLogsServiceRequest</c>s built with Google.Protobuf's messages: bodies of every AnyValue kind
/// (structured ones included), severities around the error threshold and out of range, ids of valid and invalid
/// lengths, time or only observed time, severity text and event names, attributes as in the trace generator.
/// </summary>
internal static class LogRequestGenerator
{
    private static readonly string[] Keys =
        ["messaging.message.id", "messaging.message.conversation_id", "http.response.status_code", "exception.type", "code.function", "", "ключ", "log.file.path"];

    private static readonly string[] Bodies =
        ["", "GET /api/orders 200 12ms", "connection refused", "Ünïcödé ✓", "multi\nline\tlog \"quoted\"", new string('b', 127), new string('l', 600)];

    public static ExportLogsServiceRequest Build(Random random)
    {
        var request = new ExportLogsServiceRequest();
        for (var r = random.Next(0, 4); r > 0; r--)
        {
            var resourceLogs = new ResourceLogs();
            if (random.Next(5) != 0)
            {
                resourceLogs.Resource = new Resource();
                resourceLogs.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = random.Next(3) == 0 ? "" : "svc-" + random.Next(3) } });
                if (random.Next(2) == 0)
                {
                    resourceLogs.Resource.Attributes.Add(new KeyValue { Key = "deployment.environment", Value = new AnyValue { StringValue = "prod" } });
                }
            }

            for (var s = random.Next(0, 3); s > 0; s--)
            {
                var scopeLogs = new ScopeLogs();
                if (random.Next(3) != 0)
                {
                    scopeLogs.Scope = new InstrumentationScope { Name = random.Next(2) == 0 ? "" : "app.logger" };
                }

                for (var i = random.Next(0, 6); i > 0; i--)
                {
                    scopeLogs.LogRecords.Add(BuildRecord(random));
                }

                resourceLogs.ScopeLogs.Add(scopeLogs);
            }

            request.ResourceLogs.Add(resourceLogs);
        }

        return request;
    }

    private static LogRecord BuildRecord(Random random)
    {
        var record = new LogRecord
        {
            TimeUnixNano = random.Next(4) == 0 ? 0 : 1_700_000_000_000_000_000UL + (ulong)random.NextInt64(0, 1_000_000_000),
            ObservedTimeUnixNano = random.Next(3) == 0 ? 0 : 1_700_000_000_500_000_000UL,
            SeverityNumber = (SeverityNumber)random.Next(-1, 27),
            SeverityText = random.Next(3) == 0 ? "" : "ERROR",
            TraceId = ByteString.CopyFrom(new byte[new[] { 0, 16, 16, 16, 15, 17 }[random.Next(6)]]),
            SpanId = ByteString.CopyFrom(new byte[new[] { 0, 8, 8, 8, 7 }[random.Next(5)]]),
            EventName = random.Next(4) == 0 ? "app.started" : "",
            Flags = (uint)random.Next(0, 2),
        };
        if (record.TraceId.Length == 16)
        {
            var id = new byte[16];
            random.NextBytes(id);
            record.TraceId = ByteString.CopyFrom(id);
        }

        switch (random.Next(8))
        {
            case 0:
                break;
            case 1:
                record.Body = new AnyValue();
                break;
            case 2:
                record.Body = new AnyValue { IntValue = random.NextInt64(-5, 5) };
                break;
            case 3:
                record.Body = new AnyValue { DoubleValue = random.Next(2) == 0 ? double.NaN : 2.5 };
                break;
            case 4:
                var list = new KeyValueList();
                list.Values.Add(new KeyValue { Key = "event", Value = new AnyValue { StringValue = "login" } });
                list.Values.Add(new KeyValue { Key = "user", Value = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { IntValue = 7 }, new AnyValue { BoolValue = true } } } } });
                record.Body = new AnyValue { KvlistValue = list };
                break;
            case 5:
                record.Body = new AnyValue { BytesValue = ByteString.CopyFrom([1, 2, 3]) };
                break;
            default:
                record.Body = new AnyValue { StringValue = Bodies[random.Next(Bodies.Length)] };
                break;
        }

        for (var a = random.Next(0, 5); a > 0; a--)
        {
            var kv = new KeyValue { Key = Keys[random.Next(Keys.Length)] };
            if (random.Next(6) != 0)
            {
                kv.Value = random.Next(3) switch
                {
                    0 => new AnyValue { IntValue = random.Next(100, 600) },
                    1 => new AnyValue { StringValue = "m-" + random.Next(5) },
                    _ => new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { StringValue = "x" } } } },
                };
            }

            record.Attributes.Add(kv);
        }

        return record;
    }
}
