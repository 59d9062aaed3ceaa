using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Otlp.Normalization;

/// <summary>URN rules (DESIGN.md "URN", OtlpUrns) on attribute sets taken from the shared samples.</summary>
public sealed class UrnRuleTests
{
    [Theory]
    [InlineData("otlp2parquet_testdata/trace.json", "traces", "urn:autopilot:service:opentelemetry-demo:frontend-proxy")] // service.namespace
    [InlineData("otlp2parquet_testdata/metrics_gauge.json", "metrics", "urn:autopilot:service:production:demo-service")] // deployment.environment
    [InlineData("otel_rust_integration_expected/traces.json", "traces", "urn:autopilot:service:default:basic-otlp-tracing-example")] // neither
    [InlineData("otel_java_logging_otlp/expected-spans.json", "traces", "urn:autopilot:service:default:unknown_service")] // no service.name
    [InlineData("otlp_proto_examples/metrics.json", "metrics", "urn:autopilot:service:default:my.service")]
    public void ServiceUrn_SampleResource_FollowsEnvironmentFallbacks(string file, string signal, string expected)
    {
        var (_, signals) = NormalizeHelper.File(file, signal);

        Assert.Equal(expected, signals[0].Urn);
    }

    [Fact]
    public void ServiceUrn_EnvironmentNameWinsOverOlderKeys()
    {
        var decoded = DecodedFile.Load("otlp2parquet_testdata/metrics_gauge.json", "metrics");
        var attributes = decoded.Metrics.ResourceMetrics[0].Resource.Attributes;
        attributes.Add(Kv("service.namespace", "shop"));
        attributes.Add(Kv("deployment.environment.name", "staging"));

        var (_, signals) = NormalizeHelper.Request(decoded);

        Assert.Equal("urn:autopilot:service:staging:demo-service", signals[0].Urn);
    }

    [Fact]
    public void TopicRecord_MessagingSpan_EmitsRecordForTopicUrn()
    {
        var decoded = DecodedFile.Load("otlp2parquet_testdata/trace.json", "traces");
        var span = decoded.Traces.ResourceSpans[0].ScopeSpans[0].Spans[0];
        span.Kind = Ingest.Otlp.Proto.Trace.V1.Span.Types.SpanKind.Producer;
        span.Attributes.Add(Kv("messaging.system", "kafka"));
        span.Attributes.Add(Kv("messaging.destination.name", "orders"));
        span.Attributes.Add(Kv("messaging.message.id", "m-42"));

        var (result, signals) = NormalizeHelper.Request(decoded);

        Assert.Equal(2, result.Accepted);
        Assert.Equal(3, signals.Count);
        var record = signals[1];
        Assert.Equal(SignalKind.Record, record.Kind);
        Assert.Equal("urn:autopilot:topic:kafka:orders", record.Urn);
        Assert.Equal("publish", record.Name);
        Assert.Equal("m-42", record.CorrelationId);
        Assert.Equal("m-42", signals[0].CorrelationId);
        Assert.Equal(signals[0].TraceId, record.TraceId);
        Assert.Equal("urn:autopilot:service:opentelemetry-demo:frontend-proxy", record.Attributes.Get("service"));
    }

    [Theory]
    [InlineData("db.system", "postgresql", "db.namespace", "shop", "db.collection.name", "orders", "urn:autopilot:dataset:postgresql/shop:orders")]
    [InlineData("db.system.name", "postgresql", "db.name", "shop", "db.sql.table", "orders", "urn:autopilot:dataset:postgresql/shop:orders")]
    [InlineData("db.system", "redis", "db.other", "x", "db.collection.name", "sessions", "urn:autopilot:dataset:redis:sessions")]
    public void DatasetRecord_DatabaseSpan_EmitsRecordForDatasetUrn(string systemKey, string system, string nsKey, string ns, string tableKey, string table, string expected)
    {
        var decoded = DecodedFile.Load("otlp2parquet_testdata/trace.json", "traces");
        var span = decoded.Traces.ResourceSpans[0].ScopeSpans[0].Spans[0];
        span.Attributes.Add(Kv(systemKey, system));
        span.Attributes.Add(Kv(nsKey, ns));
        span.Attributes.Add(Kv(tableKey, table));
        span.Attributes.Add(Kv("db.operation", "SELECT"));

        var (_, signals) = NormalizeHelper.Request(decoded);

        var record = Assert.Single(signals, s => s.Kind == SignalKind.Record);
        Assert.Equal(expected, record.Urn);
        Assert.Equal("SELECT", record.Name);
    }

    [Fact]
    public void DatasetRecord_NoTable_EmitsNoRecord()
    {
        var decoded = DecodedFile.Load("otlp2parquet_testdata/trace.json", "traces");
        decoded.Traces.ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes.Add(Kv("db.system", "postgresql"));

        var (_, signals) = NormalizeHelper.Request(decoded);

        Assert.DoesNotContain(signals, s => s.Kind == SignalKind.Record);
    }

    [Fact]
    public void Aliases_ServiceAndTopic_AppliedToEveryResolvedUrn()
    {
        var aliases = new UrnAliases(new Dictionary<string, string>
        {
            ["urn:autopilot:service:opentelemetry-demo:frontend-proxy"] = "urn:autopilot:service:prod:edge",
            ["urn:autopilot:topic:kafka:orders"] = "urn:autopilot:topic:kafka:orders-v2",
        });
        var decoded = DecodedFile.Load("otlp2parquet_testdata/trace.json", "traces");
        var span = decoded.Traces.ResourceSpans[0].ScopeSpans[0].Spans[0];
        span.Attributes.Add(Kv("messaging.system", "kafka"));
        span.Attributes.Add(Kv("messaging.destination.name", "orders"));

        var (_, signals) = NormalizeHelper.Request(decoded, new OtlpNormalizerOptions { Aliases = aliases });

        Assert.Equal("urn:autopilot:service:prod:edge", signals[0].Urn);
        Assert.Equal("urn:autopilot:topic:kafka:orders-v2", signals[1].Urn);
        Assert.Equal("urn:autopilot:service:prod:edge", signals[1].Attributes.Get("service"));
    }

    [Theory]
    [InlineData("frontend-proxy", "urn:autopilot:service:prod:edge", "'frontend-proxy' is not a valid URN")]
    [InlineData("urn:autopilot:service:prod:edge", "urn:autopilot:widget:a:b", "'urn:autopilot:widget:a:b' is not a valid URN")]
    public void Aliases_InvalidEntry_ThrowsNamingIt(string from, string to, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new UrnAliases(new Dictionary<string, string> { [from] = to }));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{from}' -> '{to}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRelated_Otlp2ParquetResource_HostUrnInServiceEnvironment()
    {
        var resource = DecodedFile.Load("otlp2parquet_testdata/trace.json", "traces").Traces.ResourceSpans[0].Resource;
        var related = new List<string>();

        OtlpUrns.AddRelated(key => resource.Attributes.FirstOrDefault(a => a.Key == key)?.Value.StringValue, related);

        Assert.Equal(["urn:autopilot:host:opentelemetry-demo:docker-desktop"], related);
    }

    [Fact]
    public void AddRelated_ContainerId_AddsContainerUrn()
    {
        var attributes = new Dictionary<string, string> { ["container.id"] = "a3bf90e006b2", ["deployment.environment.name"] = "prod" };
        var related = new List<string>();

        OtlpUrns.AddRelated(key => attributes.GetValueOrDefault(key), related);

        Assert.Equal(["urn:autopilot:container:prod:a3bf90e006b2"], related);
    }

    [Fact]
    public void Interner_DistinctStringsBeyondCapacity_StaysBoundedAndReturnsEqualStrings()
    {
        var interner = new StringInterner(16, 64);
        for (var i = 0; i < 100_000; i++)
        {
            var s = "key-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(s, interner.Intern(s));
        }

        Assert.Equal(16, interner.Capacity);
        var a = interner.Intern(new string('k', 3));
        Assert.Same(a, interner.Intern(new string('k', 3)));
        var longValue = new string('x', 65);
        Assert.Same(longValue, interner.Intern(longValue));
    }

    private static KeyValue Kv(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
