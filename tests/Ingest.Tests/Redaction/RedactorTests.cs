using System.Text;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.RemoteWrite.Prompb;
using Autopilot.Ingest.Tests.OpenLineage;
using Autopilot.Ingest.Tests.RemoteWrite;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Redaction;

public sealed class RedactorTests
{
    [Theory]
    [InlineData("db.password")]
    [InlineData("password")]
    [InlineData("http.request.header.authorization")]
    [InlineData("http.response.header.set-cookie")]
    [InlineData("http.request.header.cookie")]
    [InlineData("x-api-key")]
    [InlineData("API_KEY")]
    [InlineData("access_token")]
    [InlineData("oauth.client_secret")]
    [InlineData("aws.credentials")]
    public void Redact_SensitiveKey_ReplacesTheWholeValue(string key)
    {
        var attributes = new SignalAttributes([key, "http.route"], ["hunter2 and more", "/orders/{id}"]);

        var redacted = Redactor.Default.Redact(attributes);

        Assert.Equal("[REDACTED]", redacted.Get(key));
        Assert.Equal("/orders/{id}", redacted.Get("http.route"));
        Assert.Equal("hunter2 and more", attributes.Get(key));
    }

    [Fact]
    public void Redact_SignalsSharingAKeyArray_KeysRememberedCleanValueRulesStillApplied()
    {
        // Signals of one shape share their key array; the redactor remembers a clean one by identity.
        string[] keys = ["http.route", "note"];
        var redactor = Redactor.Create(new RedactionOptions());

        var first = redactor.Redact(new SignalAttributes(keys, ["/orders/{id}", "clean"]));
        var second = redactor.Redact(new SignalAttributes(keys, ["/orders/{id}", "mail ann@example.org"]));
        var sensitive = new SignalAttributes(["http.route", "password"], ["/orders/{id}", "hunter2"]);
        var third = redactor.Redact(sensitive);
        var fourth = redactor.Redact(new SignalAttributes(["http.route", "password"], ["/orders/{id}", "hunter3"]));

        Assert.Equal("clean", first.Get("note"));
        Assert.Equal("mail [REDACTED]", second.Get("note"));
        Assert.Equal("[REDACTED]", third.Get("password"));
        Assert.Equal("[REDACTED]", fourth.Get("password"));
        Assert.Equal("[REDACTED]", redactor.Redact(sensitive).Get("password"));
    }

    [Theory]
    [InlineData("llm.token_count")]
    [InlineData("gen_ai.usage.input_tokens")]
    [InlineData("tokenizer")]
    [InlineData("password.reset.requested")]
    [InlineData("secret_name")]
    public void Redact_KeyThatOnlyMentionsASecretWord_KeepsTheValue(string key)
    {
        var attributes = new SignalAttributes([key], ["1234"]);

        Assert.Equal(attributes, Redactor.Default.Redact(attributes));
    }

    [Theory]
    [InlineData("Authorization: Bearer abcdef0123456789.xyz", "Authorization: Bearer [REDACTED]")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U sent", "token [REDACTED] sent")]
    [InlineData("using key AKIAIOSFODNN7EXAMPLE for s3", "using key [REDACTED] for s3")]
    [InlineData("GET /login?user=bob&password=hunter2&next=/", "GET /login?user=bob&password=[REDACTED]&next=/")]
    [InlineData("{\"user\":\"bob\",\"password\": \"hunter2\"}", "{\"user\":\"bob\",\"password\": [REDACTED]}")]
    [InlineData("retry with api_key=sk_live_51H8 failed", "retry with api_key=[REDACTED] failed")]
    [InlineData("https://x.test/cb?access_token=ya29.a0Af&state=1", "https://x.test/cb?access_token=[REDACTED]&state=1")]
    [InlineData("order confirmation sent to jane.doe+shop@example.co.uk today", "order confirmation sent to [REDACTED] today")]
    [InlineData("charged card 4111111111111111 ok", "charged card [REDACTED] ok")]
    [InlineData("charged card 4111 1111 1111 1111 ok", "charged card [REDACTED] ok")]
    [InlineData("amex 3782-822463-10005 ok", "amex [REDACTED] ok")]
    [InlineData("mastercard 5555555555554444", "mastercard [REDACTED]")]
    [InlineData("cc=4111111111111111;", "cc=[REDACTED];")]
    [InlineData("{\"card\":\"4111-1111-1111-1111\"}", "{\"card\":\"[REDACTED]\"}")]
    [InlineData("paid with 4111111111111111.", "paid with [REDACTED].")] // a sentence's full stop is not a decimal point
    [InlineData("card .4111111111111111 x", "card .[REDACTED] x")]    // nor is a dot without a digit before it
    public void Redact_DefaultValueRules_ReplaceTheSecret(string input, string expected)
    {
        Assert.Equal(expected, Redactor.Default.Redact(input));
    }

    [Theory]
    [InlineData("order 4111111111111112 shipped")]          // fails the Luhn check
    [InlineData("event at 1700000000123456789 ns")]          // a nanosecond timestamp starts with 1
    [InlineData("order id 9876543210123456")]                // starts with 9: no card issuer
    [InlineData("invoice 411111111111 (12 digits)")]         // too short for a card
    [InlineData("request 9f3a4111111111111111c0de")]         // a Luhn-valid run inside a hex id is part of the id
    [InlineData("sha 4111111111111111ab")]                   // ... also at the id's start
    [InlineData("0.4111111111111111")]                       // a double's fraction (a histogram's p99), Luhn-valid
    [InlineData("took 12.4111111111111111 s")]               // ... inside text
    [InlineData("4111111111111111.5")]                       // a decimal number's whole part
    [InlineData("3.4111111111111111E-05")]                   // a double in exponent form
    [InlineData("@opentelemetry/api@1.9.0 loaded")]          // an npm package, not an address
    [InlineData("GET /orders/{id} 200 in 12 ms")]
    [InlineData("bearer tokens are described in RFC 6750")]   // fewer than 8 token characters after it
    [InlineData("")]
    public void Redact_OrdinaryText_IsReturnedUnchanged(string input)
    {
        Assert.Same(input, Redactor.Default.Redact(input));
    }

    [Fact]
    public void Redact_NothingMatches_AllocatesNothing()
    {
        string[] keys = ["http.request.method", "url.full", "http.route", "server.address", "user_agent.original", "http.response.status_code", "db.statement", "http.request.header.x-request-id"];
        string[] values = ["GET", "https://shop.example.com/api/orders/8842?expand=items&sort=desc", "/api/orders/{id}", "shop.example.com", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", "200", "SELECT id, total FROM orders WHERE id = $1 AND created > 1700000000", "4bf92f3577b34da6a3ce929d0e0e4736"];
        Signal[] Build() => Enumerable.Range(0, 64)
            .Select(i => new Signal(SignalKind.Span, "urn:autopilot:service:prod:shop", 1, TraceId.Empty, 0, null, new string("GET /api/orders/{id} for order 8842"), 12, SignalStatus.Ok, 200,
                new SignalAttributes(keys, values.Select(v => new string(v)).ToArray()))) // fresh strings: no value is known clean yet
            .ToArray();
        var warm = Build();
        var measured = Build();
        // An instance of its own: a Regex hands out one cached runner, and a thread that finds it taken by another
        // (tests run in parallel on the shared Default) makes a new one, an allocation that is not the redactor's.
        var redactor = Redactor.Create(new RedactionOptions());
        Assert.Equal(0, redactor.Redact(warm)); // warms the code and the key decisions

        var before = GC.GetAllocatedBytesForCurrentThread();
        var changed = redactor.Redact(measured);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, changed);
        Assert.Equal(0, allocated);
        Assert.Equal(values, Enumerable.Range(0, keys.Length).Select(i => measured[63].Attributes.ValueAt(i)));
    }

    [Fact]
    public void Redact_Signals_RedactsAttributesAndLogBodyAndCountsChangedSignals()
    {
        var shared = new SignalAttributes(["user.email", "http.route"], ["ann@example.org", "/x"]);
        Signal[] signals =
        [
            new(SignalKind.Log, "urn:autopilot:service:prod:a", 1, TraceId.Empty, 0, null, "password reset for bob@example.com", 1, SignalStatus.Unset, 9, SignalAttributes.Empty),
            new(SignalKind.Span, "urn:autopilot:service:prod:a", 1, TraceId.Empty, 0, null, "GET /x", 1, SignalStatus.Ok, 0, shared),
            new(SignalKind.Record, "urn:autopilot:topic:kafka:t", 1, TraceId.Empty, 0, null, "publish", 1, SignalStatus.Ok, 0, shared),
            new(SignalKind.Span, "urn:autopilot:service:prod:a", 1, TraceId.Empty, 0, null, "GET /y", 1, SignalStatus.Ok, 0, SignalAttributes.Empty),
        ];

        var changed = Redactor.Default.Redact(signals);

        Assert.Equal(3, changed);
        Assert.Equal("password reset for [REDACTED]", signals[0].Name);
        Assert.Equal("[REDACTED]", signals[1].Attributes.Get("user.email"));
        Assert.Equal(signals[1].Attributes, signals[2].Attributes);
        Assert.Equal("GET /y", signals[3].Name);
    }

    [Fact]
    public void Create_DisabledRule_KeepsWhatItWouldRedact()
    {
        var options = new RedactionOptions();
        options.Disable.Add("email");

        var redactor = Redactor.Create(options);

        Assert.Equal("mail ann@example.org", redactor.Redact("mail ann@example.org"));
        Assert.Equal("password=[REDACTED]", redactor.Redact("password=x"));
    }

    [Fact]
    public void Create_AddedRulesAndReplacements_Apply()
    {
        var options = new RedactionOptions { Replacement = "***" };
        options.Rules.Add(new RedactionRuleOptions { Name = "customer-id", Value = @"CUST-\d{6}", Replacement = "[CUSTOMER]" });
        options.Rules.Add(new RedactionRuleOptions { Name = "internal", Key = "^x-internal-" });
        options.Rules.Add(new RedactionRuleOptions { Name = "email", Value = RedactionRules.EmailPattern, Replacement = "[EMAIL]" });

        var redactor = Redactor.Create(options);

        Assert.Equal("for [CUSTOMER] mail [EMAIL] token=***", redactor.Redact("for CUST-123456 mail ann@example.org token=abc"));
        var attributes = redactor.Redact(new SignalAttributes(["X-Internal-Route", "db.password"], ["a", "b"]));
        Assert.Equal("***", attributes.Get("X-Internal-Route"));
        Assert.Equal("***", attributes.Get("db.password"));
    }

    [Fact]
    public void Create_NotEnabled_RedactsNothing()
    {
        var redactor = Redactor.Create(new RedactionOptions { Enabled = false });

        Assert.False(redactor.Enabled);
        Assert.Equal("password=x", redactor.Redact("password=x"));
    }

    [Theory]
    [InlineData("broken", "(unclosed", null, "redaction.rules[0].value: '(unclosed' is not a valid regular expression")]
    [InlineData("both", "a", "b", "redaction.rules[0]: set exactly one of key")]
    [InlineData(null, "a", null, "redaction.rules[0].name is required")]
    public void Validate_BadRule_NamesTheKey(string? name, string? value, string? key, string expected)
    {
        var options = new RedactionOptions();
        options.Rules.Add(new RedactionRuleOptions { Name = name, Value = value, Key = key });

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownDisabledRule_ListsTheBuiltInOnes()
    {
        var options = new RedactionOptions();
        options.Disable.Add("emails");

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("redaction.disable[0]: 'emails' is not a built-in rule", e.Message, StringComparison.Ordinal);
        Assert.Contains("email,", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_ConfiguredPatternThatWouldBacktrackForever_RunsInLinearTime()
    {
        // Without lookarounds a configured pattern runs on the non-backtracking engine: the classic
        // catastrophic pattern simply does not match.
        var options = new RedactionOptions();
        options.Rules.Add(new RedactionRuleOptions { Name = "evil", Value = @"^(\w+\s?)*$" });
        var input = string.Concat(Enumerable.Repeat("word ", 40)) + "!";

        Assert.Same(input, Redactor.Create(options).Redact(input));
    }

    [Fact]
    public void Redact_BacktrackingPatternThatRunsTooLong_FailsClosed()
    {
        // A lookbehind needs the backtracking engine; exponential backtracking then hits the timeout and the
        // whole value is replaced rather than let through.
        var options = new RedactionOptions();
        options.Rules.Add(new RedactionRuleOptions { Name = "evil", Value = @"^(\w+\s?)*(?<=z)$" });
        var input = string.Concat(Enumerable.Repeat("word ", 40)) + "!";

        Assert.Equal("[REDACTED]", Redactor.Create(options).Redact(input));
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111-1111-1111-1111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("0000000000000", true)]
    [InlineData("79927398713", false)] // Luhn-valid but only 11 digits
    public void LuhnValid_ChecksDigitsOnly(string text, bool expected)
    {
        Assert.Equal(expected, Redactor.LuhnValid(text));
    }

    [Fact]
    public void Decode_OtlpJsonWithSecrets_RedactsBeforeTheCallerSeesThem()
    {
        const string json = """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
              "scopeLogs":[{"logRecords":[{"body":{"stringValue":"welcome mail to ann@example.org"},
                "attributes":[{"key":"auth.token","value":{"stringValue":"abc123"}},{"key":"order.id","value":{"stringValue":"4111111111111112"}}]}]}]}]}
            """;
        var decoded = new DecodedRequest();

        new SignalDecoder(new IngestOptions()).Decode(IngestSignal.Logs, PayloadFormat.Json, Encoding.UTF8.GetBytes(json), decoded);

        var log = Assert.Single(decoded.Signals);
        Assert.Equal(1, decoded.RedactedSignals);
        Assert.Equal("welcome mail to [REDACTED]", log.Name);
        Assert.Equal("[REDACTED]", log.Attributes.Get("auth.token"));
        Assert.Equal("4111111111111112", log.Attributes.Get("order.id"));
    }

    [Fact]
    public void Decode_OtlpMetrics_RedactsWhatWasSentButNotThePointsNumbers()
    {
        // A histogram whose count and sum are Luhn-valid 16-digit numbers and whose quantiles are doubles written in full:
        // the numbers the normalizer renders are measurements, not text, and must reach the engines as they are.
        static Autopilot.Ingest.Otlp.Proto.Common.V1.KeyValue Str(string key, string value) =>
            new() { Key = key, Value = new Autopilot.Ingest.Otlp.Proto.Common.V1.AnyValue { StringValue = value } };
        var histogram = new Autopilot.Ingest.Otlp.Proto.Metrics.V1.HistogramDataPoint
        {
            TimeUnixNano = 1_700_000_000_000_000_000, Count = 4111111111111111, Sum = 4111111111111111, ExplicitBounds = { 0.4111111111111111 }, BucketCounts = { 4111111111111110, 1 },
            Attributes = { Str("payment.card", "4111111111111111"), Str("db.password", "hunter2"), Str("http.route", "/pay") },
        };
        var clean = new Autopilot.Ingest.Otlp.Proto.Metrics.V1.NumberDataPoint { TimeUnixNano = 1_700_000_000_000_000_000, AsDouble = 0.4111111111111111, Attributes = { Str("state", "used") } };
        var request = new Autopilot.Ingest.Otlp.Proto.Collector.Metrics.V1.ExportMetricsServiceRequest
        {
            ResourceMetrics =
            {
                new Autopilot.Ingest.Otlp.Proto.Metrics.V1.ResourceMetrics
                {
                    Resource = new Autopilot.Ingest.Otlp.Proto.Resource.V1.Resource { Attributes = { Str("service.name", "shop") } },
                    ScopeMetrics =
                    {
                        new Autopilot.Ingest.Otlp.Proto.Metrics.V1.ScopeMetrics
                        {
                            Metrics =
                            {
                                new Autopilot.Ingest.Otlp.Proto.Metrics.V1.Metric { Name = "pay.duration", Histogram = new() { DataPoints = { histogram } } },
                                new Autopilot.Ingest.Otlp.Proto.Metrics.V1.Metric { Name = "memory password=hunter2", Gauge = new() { DataPoints = { clean } } },
                                new Autopilot.Ingest.Otlp.Proto.Metrics.V1.Metric { Name = "memory.usage", Gauge = new() { DataPoints = { clean } } },
                            },
                        },
                    },
                },
            },
        };
        var decoded = new DecodedRequest();

        new SignalDecoder(new IngestOptions()).Decode(IngestSignal.Metrics, PayloadFormat.Protobuf, Google.Protobuf.MessageExtensions.ToByteArray(request), decoded);

        Assert.Equal(3, decoded.Signals.Count);
        Assert.Equal(2, decoded.RedactedSignals);
        var point = decoded.Signals[0];
        Assert.Equal("[REDACTED]", point.Attributes.Get("payment.card"));
        Assert.Equal("[REDACTED]", point.Attributes.Get("db.password"));
        Assert.Equal("/pay", point.Attributes.Get("http.route"));
        Assert.Equal("4111111111111111", point.Attributes.Get("count"));
        Assert.Equal(4111111111111111d.ToString("R", System.Globalization.CultureInfo.InvariantCulture), point.Attributes.Get("sum"));
        foreach (var quantile in (string[])["p50", "p95", "p99"])
        {
            Assert.True(double.TryParse(point.Attributes.Get(quantile), System.Globalization.CultureInfo.InvariantCulture, out _), $"{quantile}: {point.Attributes.Get(quantile)}");
        }

        Assert.Equal("memory password=[REDACTED]", decoded.Signals[1].Name);
        Assert.Equal("memory.usage", decoded.Signals[2].Name);
        Assert.Equal("used", decoded.Signals[2].Attributes.Get("state"));
    }

    [Fact]
    public void Decode_SpanWhoseParentIdIsSixteenLuhnValidDigits_KeepsItOnBothPaths()
    {
        // 0x4111111111111111 renders to "4111111111111111", which the card-number test takes for a card; the id is binary,
        // so value rules do not apply to it (a user attribute with the same digits is still redacted).
        var span = new Autopilot.Ingest.Otlp.Proto.Trace.V1.Span
        {
            TraceId = Google.Protobuf.ByteString.CopyFrom(Convert.FromHexString("0102030405060708090a0b0c0d0e0f10")),
            SpanId = Google.Protobuf.ByteString.CopyFrom(Convert.FromHexString("0a0b0c0d0e0f1011")),
            ParentSpanId = Google.Protobuf.ByteString.CopyFrom(Convert.FromHexString("4111111111111111")),
            Name = "GET /pay",
            StartTimeUnixNano = 1_700_000_000_000_000_000,
            EndTimeUnixNano = 1_700_000_000_100_000_000,
            Attributes = { new Autopilot.Ingest.Otlp.Proto.Common.V1.KeyValue { Key = "payment.card", Value = new() { StringValue = "4111111111111111" } } },
        };
        var request = new Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1.ExportTraceServiceRequest
        {
            ResourceSpans = { new Autopilot.Ingest.Otlp.Proto.Trace.V1.ResourceSpans { ScopeSpans = { new Autopilot.Ingest.Otlp.Proto.Trace.V1.ScopeSpans { Spans = { span } } } } },
        };
        var paths = new Autopilot.Ingest.Tests.Receivers.DecodePaths();
        var payload = Google.Protobuf.MessageExtensions.ToByteArray(request);

        foreach (var outcome in new[] { paths.Wire(IngestSignal.Traces, payload), paths.Reference(IngestSignal.Traces, payload) })
        {
            Assert.Null(outcome.Error);
            var signal = Assert.Single(outcome.Request.Signals);
            Assert.Equal("4111111111111111", signal.Attributes.Get(Redactor.ParentIdKey));
            Assert.Equal("[REDACTED]", signal.Attributes.Get("payment.card"));
        }
    }

    [Fact]
    public void Decode_WithRedactorNone_KeepsEverything()
    {
        const string json = """{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"to ann@example.org"}}]}]}]}""";
        var decoded = new DecodedRequest();

        new SignalDecoder(new IngestOptions(), Redactor.None).Decode(IngestSignal.Logs, PayloadFormat.Json, Encoding.UTF8.GetBytes(json), decoded);

        Assert.Equal(0, decoded.RedactedSignals);
        Assert.Equal("to ann@example.org", Assert.Single(decoded.Signals).Name);
    }

    [Fact]
    public void SignalRecordCodec_RoundTripsEveryField()
    {
        List<Signal> signals =
        [
            new(SignalKind.Span, "urn:autopilot:service:prod:shop", 1_700_000_000_123_456_789, new TraceId(0x0102030405060708, 0x090a0b0c0d0e0f10), 0xfeedbeef, "run-1", "GET /ü", 12.5, SignalStatus.Error, 503, new SignalAttributes(["a", "b"], ["[REDACTED]", ""])),
            new(SignalKind.Log, "urn:autopilot:service:default:x", 0, TraceId.Empty, 0, null, "", double.NaN, SignalStatus.Unset, -1, SignalAttributes.Empty),
        ];
        var record = SignalRecordCodec.EncodeRecord(signals);
        var decoded = new DecodedRequest();

        Assert.Equal((byte)PayloadFormat.Signals, record[0]);
        new SignalDecoder(new IngestOptions()).Decode(IngestSignal.Traces, PayloadFormat.Signals, record.AsSpan(1), decoded);

        Assert.Equal(2, decoded.Signals.Count);
        for (var i = 0; i < signals.Count; i++)
        {
            var (a, b) = (signals[i], decoded.Signals[i]);
            Assert.Equal((a.Kind, a.Urn, a.TimeUnixNano, a.TraceId, a.SpanId, a.CorrelationId, a.Name, a.Status, a.StatusCode), (b.Kind, b.Urn, b.TimeUnixNano, b.TraceId, b.SpanId, b.CorrelationId, b.Name, b.Status, b.StatusCode));
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.Value), BitConverter.DoubleToInt64Bits(b.Value));
            Assert.Equal(Enumerable.Range(0, a.Attributes.Count).Select(j => (a.Attributes.KeyAt(j), a.Attributes.ValueAt(j))), Enumerable.Range(0, b.Attributes.Count).Select(j => (b.Attributes.KeyAt(j), b.Attributes.ValueAt(j))));
        }
    }

    [Fact]
    public void SignalRecordCodec_TruncatedRecord_IsAnInvalidRequest()
    {
        var record = SignalRecordCodec.EncodeRecord([new(SignalKind.Span, "urn:autopilot:service:prod:shop", 1, TraceId.Empty, 0, null, "x", 1, SignalStatus.Ok, 0, SignalAttributes.Empty)]);

        Assert.Throws<InvalidRequestException>(() => new SignalDecoder(new IngestOptions()).Decode(IngestSignal.Traces, PayloadFormat.Signals, record.AsSpan(1, record.Length - 5), new DecodedRequest()));
    }

    [Fact]
    public void Decode_RemoteWriteLabels_AreRedacted()
    {
        var series = RemoteWritePayloads.Series(("__name__", "logins_total"), ("job", "shop"), ("user_email", "ann@example.org"), ("api_key", "k-123"));
        series.Samples.Add(new Sample { Value = 1, Timestamp = 1_700_000_000_000 });
        var decoded = new DecodedRequest();

        new SignalDecoder(new IngestOptions()).Decode(IngestSignal.RemoteWrite, PayloadFormat.SnappyProtobuf, RemoteWritePayloads.Compress(series), decoded);

        var metric = Assert.Single(decoded.Signals);
        Assert.Equal(1, decoded.RedactedSignals);
        Assert.Equal("[REDACTED]", metric.Attributes.Get("user_email"));
        Assert.Equal("[REDACTED]", metric.Attributes.Get("api_key"));
        Assert.Equal("logins_total", metric.Name);
    }

    [Fact]
    public void Decode_OpenLineageCountsThatLookLikeCardNumbers_AreKept()
    {
        // A 4 TB output: its size in bytes has 16 digits that pass the Luhn check. It is a count, not text: kept. A card
        // number in text the producer wrote is still redacted.
        var body = LineageTestEvents.Mutate(LineageTestEvents.FullEvent, node =>
        {
            node["producer"] = "https://ci.example.test/run?card=4111111111111111";
            node["outputs"]![0]!["outputFacets"]!["outputStatistics"] = new System.Text.Json.Nodes.JsonObject
            {
                ["_producer"] = "https://ci.example.test",
                ["_schemaURL"] = "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json",
                ["rowCount"] = 1000,
                ["size"] = 4111111111111111,
            };
        });
        var decoded = new DecodedRequest();

        new SignalDecoder(new IngestOptions()).Decode(IngestSignal.Lineage, PayloadFormat.Json, body, decoded);

        var statistics = Assert.Single(decoded.Signals, s => s.Attributes.Get("lineage.facet") == "outputStatistics");
        Assert.Equal("4111111111111111", statistics.Attributes.Get(Autopilot.Ingest.OpenLineage.LineageSignalConventions.Bytes));
        var values = decoded.Signals.SelectMany(s => Enumerable.Range(0, s.Attributes.Count).Select(s.Attributes.ValueAt)).ToList();
        Assert.Contains("https://ci.example.test/run?card=[REDACTED]", values);
    }

    [Fact]
    public void Decode_OpenLineageFacetsThatReachSignals_AreRedacted()
    {
        var body = LineageTestEvents.Mutate(LineageTestEvents.FullEvent, node => node["producer"] = "https://ci.example.test/run?token=s3cr3t-123&by=ann@example.org");
        var decoded = new DecodedRequest();

        new SignalDecoder(new IngestOptions()).Decode(IngestSignal.Lineage, PayloadFormat.Json, body, decoded);

        Assert.NotEmpty(decoded.Signals);
        Assert.True(decoded.RedactedSignals > 0);
        var values = decoded.Signals.SelectMany(s => Enumerable.Range(0, s.Attributes.Count).Select(s.Attributes.ValueAt)).ToList();
        Assert.Contains("https://ci.example.test/run?token=[REDACTED]&by=[REDACTED]", values);
        Assert.DoesNotContain(values, v => v.Contains("s3cr3t", StringComparison.Ordinal) || v.Contains("ann@", StringComparison.Ordinal));
    }
}
