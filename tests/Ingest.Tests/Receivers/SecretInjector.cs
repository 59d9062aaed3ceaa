using Autopilot.Ingest.Otlp.Proto.Collector.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Resource.V1;

namespace Autopilot.Ingest.Tests.Receivers;

/// <summary>
/// Plants what the redaction rules look for into OTLP requests (real samples or generated ones): secret attribute keys,
/// bearer tokens, JWTs, AWS keys, password pairs, e-mail addresses and card numbers, in resource and item attributes,
/// span names and log bodies, beside clean look-alikes (order ids, timestamps, <c>llm.token_count</c>) that must stay.
/// </summary>
internal static class SecretInjector
{
    private static readonly (string Key, string Value)[] Attributes =
    [
        ("db.password", "hunter2"),
        ("http.request.header.authorization", "Bearer abcdef0123456789"),
        ("user.email", "jane.doe@example.com"),
        ("payment.card", "4111 1111 1111 1111"),
        ("aws.key", "AKIAIOSFODNN7EXAMPLE"),
        ("session", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
        ("url.query", "user=bob&password=s3cr3t&page=2"),
        ("customer.id", "C-00042"),
        ("llm.token_count", "1234"),
        ("order.id", "4111111111111112"),
        ("event.time", "1700000000000000000"),
    ];

    private static readonly string[] Texts =
    [
        "login by jane.doe@example.com failed",
        "GET /checkout?token=abc123&x=1",
        "Authorization: Bearer abcdef0123456789",
        "charged card 5555-5555-5555-4444 for order 4111111111111112",
        "plain text with nothing to hide",
    ];

    public static void Inject(ExportTraceServiceRequest request, Random random)
    {
        foreach (var resourceSpans in request.ResourceSpans)
        {
            AddTo(resourceSpans.Resource ??= new Resource(), random);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    if (random.Next(3) == 0)
                    {
                        span.Attributes.Add(Attribute(random));
                    }

                    if (random.Next(8) == 0)
                    {
                        span.Name = Texts[random.Next(Texts.Length)];
                    }
                }
            }
        }
    }

    public static void Inject(ExportLogsServiceRequest request, Random random)
    {
        foreach (var resourceLogs in request.ResourceLogs)
        {
            AddTo(resourceLogs.Resource ??= new Resource(), random);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                foreach (var log in scopeLogs.LogRecords)
                {
                    if (random.Next(3) == 0)
                    {
                        log.Attributes.Add(Attribute(random));
                    }

                    if (random.Next(3) == 0)
                    {
                        log.Body = random.Next(4) == 0
                            ? new AnyValue { KvlistValue = new KeyValueList { Values = { Attribute(random), Attribute(random) } } }
                            : new AnyValue { StringValue = Texts[random.Next(Texts.Length)] };
                    }
                }
            }
        }
    }

    private static void AddTo(Resource resource, Random random)
    {
        if (random.Next(2) == 0)
        {
            resource.Attributes.Add(Attribute(random));
        }
    }

    private static KeyValue Attribute(Random random)
    {
        var (key, value) = Attributes[random.Next(Attributes.Length)];
        return new KeyValue { Key = key, Value = new AnyValue { StringValue = value } };
    }
}
