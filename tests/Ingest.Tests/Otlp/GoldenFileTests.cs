using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Otlp;

/// <summary>
/// Every OTLP sample under ../shared/data/otlp decodes, with the resource container count INDEX.tsv gives
/// and the span / data point / log record counts and service names below, which were counted from the
/// files themselves (not from this decoder).
/// </summary>
public sealed class GoldenFileTests
{
    /// <summary>file → (resource containers, spans | data points | log records, service names comma-separated).</summary>
    internal static readonly Dictionary<string, Expected> ExpectedByFile = new(StringComparer.Ordinal)
    {
        ["jaeger_fixtures/apiv3_snapshots_GetTrace.json"] = new(1, 1, ""),
        ["jaeger_fixtures/fixture_otlp2jaeger-in.json"] = new(1, 2, "telemetrygen"),
        ["jaeger_fixtures/integration_traces/default.json"] = new(1, 1, "query11-service"),
        ["jaeger_fixtures/integration_traces/dur_trace.json"] = new(1, 1, "query09-service"),
        ["jaeger_fixtures/integration_traces/example_trace.json"] = new(3, 5, "example-service-1,example-service-2,example-service-3"),
        ["jaeger_fixtures/integration_traces/link_attributes_trace.json"] = new(1, 1, "query25-service"),
        ["jaeger_fixtures/integration_traces/log_tags_trace.json"] = new(1, 1, "query02-service"),
        ["jaeger_fixtures/integration_traces/max_dur_trace.json"] = new(1, 1, "query10-service"),
        ["jaeger_fixtures/integration_traces/multi_index_trace.json"] = new(1, 2, "query05-service"),
        ["jaeger_fixtures/integration_traces/multi_spot_tags_trace.json"] = new(1, 1, "query04-service"),
        ["jaeger_fixtures/integration_traces/multiple1_trace.json"] = new(1, 1, "query22-service"),
        ["jaeger_fixtures/integration_traces/multiple2_trace.json"] = new(1, 1, "query22-service"),
        ["jaeger_fixtures/integration_traces/multiple3_trace.json"] = new(1, 1, "query22-service"),
        ["jaeger_fixtures/integration_traces/multispottag_dur_trace.json"] = new(1, 1, "query20-service"),
        ["jaeger_fixtures/integration_traces/multispottag_maxdur_trace.json"] = new(1, 1, "query21-service"),
        ["jaeger_fixtures/integration_traces/multispottag_opname_dur_trace.json"] = new(1, 1, "query19-service"),
        ["jaeger_fixtures/integration_traces/multispottag_opname_maxdur_trace.json"] = new(1, 1, "query18-service"),
        ["jaeger_fixtures/integration_traces/multispottag_opname_trace.json"] = new(1, 1, "query17-service"),
        ["jaeger_fixtures/integration_traces/opname_dur_trace.json"] = new(1, 1, "query08-service"),
        ["jaeger_fixtures/integration_traces/opname_maxdur_trace.json"] = new(1, 2, "query07-service"),
        ["jaeger_fixtures/integration_traces/opname_trace.json"] = new(1, 1, "query06-service"),
        ["jaeger_fixtures/integration_traces/process_tags_trace.json"] = new(1, 1, "query03-service"),
        ["jaeger_fixtures/integration_traces/scope_attributes_trace.json"] = new(1, 1, "query24-service"),
        ["jaeger_fixtures/integration_traces/scope_name_version_trace.json"] = new(1, 1, "query23-service"),
        ["jaeger_fixtures/integration_traces/span_tags_trace.json"] = new(1, 1, "query01-service"),
        ["jaeger_fixtures/integration_traces/tags_dur_trace.json"] = new(1, 1, "query15-service"),
        ["jaeger_fixtures/integration_traces/tags_escaped_operator_trace_1.json"] = new(1, 1, "query23-service"),
        ["jaeger_fixtures/integration_traces/tags_escaped_operator_trace_2.json"] = new(1, 1, "query23-service"),
        ["jaeger_fixtures/integration_traces/tags_maxdur_trace.json"] = new(1, 1, "query16-service"),
        ["jaeger_fixtures/integration_traces/tags_opname_dur_trace.json"] = new(1, 1, "query14-service"),
        ["jaeger_fixtures/integration_traces/tags_opname_maxdur_trace.json"] = new(1, 1, "query13-service"),
        ["jaeger_fixtures/integration_traces/tags_opname_trace.json"] = new(1, 1, "query12-service"),
        ["jaeger_fixtures/integration_traces/tags_wildcard_regex_1.json"] = new(1, 1, "query24-service"),
        ["jaeger_fixtures/integration_traces/tags_wildcard_regex_2.json"] = new(1, 1, "query24-service"),
        ["jaeger_fixtures/memory_fixtures_otel_traces_01.json"] = new(1, 4, "service-x"),
        ["otel_java_logging_otlp/expected-logs-wrapper.json"] = new(1, 2, ""),
        ["otel_java_logging_otlp/expected-metrics-wrapper.json"] = new(1, 2, ""),
        ["otel_java_logging_otlp/expected-spans-wrapper.json"] = new(1, 2, ""),
        ["otel_rust_integration_expected/different_metrics.json"] = new(1, 3, "metrics-integration-test"),
        ["otel_rust_integration_expected/failed_logs.json"] = new(1, 1, "logs-integration-test"),
        ["otel_rust_integration_expected/failed_traces.json"] = new(1, 2, "basic-otlp-tracing-example"),
        ["otel_rust_integration_expected/logs.json"] = new(1, 1, "logs-integration-test"),
        ["otel_rust_integration_expected/metrics.json"] = new(1, 3, "metrics-integration-test"),
        ["otel_rust_integration_expected/metrics/test_flush_on_shutdown.json"] = new(1, 1, "metrics-integration-test"),
        ["otel_rust_integration_expected/metrics/test_histogram_meter.json"] = new(1, 1, "metrics-integration-test"),
        ["otel_rust_integration_expected/metrics/test_u64_counter_meter.json"] = new(1, 1, "metrics-integration-test"),
        ["otel_rust_integration_expected/metrics/test_up_down_meter.json"] = new(1, 1, "metrics-integration-test"),
        ["otel_rust_integration_expected/serialized_metrics.json"] = new(1, 2, "metrics-integration-test"),
        ["otel_rust_integration_expected/serialized_traces.json"] = new(1, 2, "basic-otlp-tracing-example"),
        ["otel_rust_integration_expected/traces.json"] = new(1, 2, "basic-otlp-tracing-example"),
        ["otlp2parquet_testdata/log.json"] = new(1, 1, "frontend-proxy"),
        ["otlp2parquet_testdata/logs.jsonl"] = new(81, 81, "cart,frontend-proxy,kafka,load-generator,product-catalog,recommendation"),
        ["otlp2parquet_testdata/logs.pb"] = new(81, 81, "cart,frontend-proxy,kafka,load-generator,product-catalog,recommendation"),
        ["otlp2parquet_testdata/metrics_exponential_histogram.json"] = new(1, 2, "payment-service"),
        ["otlp2parquet_testdata/metrics_exponential_histogram.jsonl"] = new(1, 2, "payment-service"),
        ["otlp2parquet_testdata/metrics_exponential_histogram.pb"] = new(1, 2, "payment-service"),
        ["otlp2parquet_testdata/metrics_gauge.json"] = new(1, 3, "demo-service"),
        ["otlp2parquet_testdata/metrics_gauge.jsonl"] = new(1, 3, "demo-service"),
        ["otlp2parquet_testdata/metrics_gauge.pb"] = new(1, 3, "demo-service"),
        ["otlp2parquet_testdata/metrics_histogram.json"] = new(1, 3, "api-gateway"),
        ["otlp2parquet_testdata/metrics_histogram.jsonl"] = new(1, 3, "api-gateway"),
        ["otlp2parquet_testdata/metrics_histogram.pb"] = new(1, 3, "api-gateway"),
        ["otlp2parquet_testdata/metrics_mixed.json"] = new(1, 3, "multi-service"),
        ["otlp2parquet_testdata/metrics_mixed.jsonl"] = new(1, 3, "multi-service"),
        ["otlp2parquet_testdata/metrics_mixed.pb"] = new(1, 3, "multi-service"),
        ["otlp2parquet_testdata/metrics_sum.json"] = new(1, 4, "api-gateway"),
        ["otlp2parquet_testdata/metrics_sum.jsonl"] = new(1, 4, "api-gateway"),
        ["otlp2parquet_testdata/metrics_sum.pb"] = new(1, 4, "api-gateway"),
        ["otlp2parquet_testdata/metrics_summary.json"] = new(1, 2, "analytics-service"),
        ["otlp2parquet_testdata/metrics_summary.jsonl"] = new(1, 2, "analytics-service"),
        ["otlp2parquet_testdata/metrics_summary.pb"] = new(1, 2, "analytics-service"),
        ["otlp2parquet_testdata/trace.json"] = new(1, 2, "frontend-proxy"),
        ["otlp2parquet_testdata/trace.pb"] = new(1, 2, "frontend-proxy"),
        ["otlp2parquet_testdata/traces.jsonl"] = new(19, 19, "analytics-service,api-gateway,cart,frontend-proxy,kafka,payment-service,product-catalog,recommendation"),
        ["otlp2parquet_testdata/traces.pb"] = new(19, 19, "analytics-service,api-gateway,cart,frontend-proxy,kafka,payment-service,product-catalog,recommendation"),
        ["otlp_proto_examples/events.json"] = new(1, 1, "my.service"),
        ["otlp_proto_examples/logs.json"] = new(1, 1, "my.service"),
        ["otlp_proto_examples/metrics.json"] = new(1, 4, "my.service"),
        ["otlp_proto_examples/trace.json"] = new(1, 1, "my.service"),
    };

    public static TheoryData<string> DecodableFiles() => new(DecodableFileNames());

    internal static List<string> DecodableFileNames() =>
        OtlpTestData.Index.Where(e => e.IsOtlp && !e.IsInvalidCase).Select(e => e.File).ToList();

    [Theory]
    [MemberData(nameof(DecodableFiles))]
    public void Decode_IndexedFile_MatchesIndexAndCountedItems(string file)
    {
        var entry = OtlpTestData.Entry(file);
        Assert.True(ExpectedByFile.TryGetValue(file, out var expected), $"{file} is in INDEX.tsv but has no expectation here.");

        var decoded = DecodedFile.Load(file, entry.Signal);

        Assert.Equal(entry.ContainerCount, decoded.Containers);
        Assert.Equal(expected.Containers, decoded.Containers);
        Assert.Equal(expected.Items, decoded.Items);
        Assert.Equal(expected.Services, string.Join(",", decoded.ServiceNames));
    }

    [Fact]
    public void Expectations_CoverEveryDecodableIndexedFile()
    {
        var indexed = DecodableFileNames().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(indexed, ExpectedByFile.Keys.Order(StringComparer.Ordinal).ToList());
    }

    [Theory]
    [InlineData("otel_java_logging_otlp/expected-spans.json", "otel_java_logging_otlp/expected-spans-wrapper.json", "traces")]
    [InlineData("otel_java_logging_otlp/expected-metrics.json", "otel_java_logging_otlp/expected-metrics-wrapper.json", "metrics")]
    [InlineData("otel_java_logging_otlp/expected-logs.json", "otel_java_logging_otlp/expected-logs-wrapper.json", "logs")]
    public void Decode_BareResourceObject_EqualsWrappedRequest(string bare, string wrapped, string signal)
    {
        var fromBare = DecodedFile.Load(bare, signal);
        var fromWrapped = DecodedFile.Load(wrapped, signal);

        Assert.Equal(1, fromBare.Containers);
        Assert.Equal(fromWrapped.Traces, fromBare.Traces);
        Assert.Equal(fromWrapped.Metrics, fromBare.Metrics);
        Assert.Equal(fromWrapped.Logs, fromBare.Logs);
    }

    [Fact]
    public void Decode_ProtoExamplesTrace_ReadsUpperCaseHexIdsAndIntegerKind()
    {
        var span = DecodedFile.Load("otlp_proto_examples/trace.json", "traces").Traces.ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal("5b8efff798038103d269b633813fc60c", Convert.ToHexStringLower(span.TraceId.Span));
        Assert.Equal("eee19b7ec3c1b174", Convert.ToHexStringLower(span.SpanId.Span));
        Assert.Equal("I'm a server span", span.Name);
        Assert.Equal(Ingest.Otlp.Proto.Trace.V1.Span.Types.SpanKind.Server, span.Kind);
        Assert.Equal(1544712660000000000UL, span.StartTimeUnixNano);
        Assert.Equal(1544712661000000000UL, span.EndTimeUnixNano);
    }

    [Fact]
    public void Decode_Otlp2ParquetTrace_ReadsBase64IdsAndEnumNames()
    {
        var span = DecodedFile.Load("otlp2parquet_testdata/trace.json", "traces").Traces.ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.True(TraceId.TryFromBytes(span.TraceId.Span, out var traceId));
        Assert.Equal("9d79b1a37f31801cd11a6706fb40d6bd", traceId.ToString());
        Assert.Equal("de562439e9c1b823", Convert.ToHexStringLower(span.SpanId.Span));
        Assert.Equal("router frontend egress", span.Name);
        Assert.Equal(Ingest.Otlp.Proto.Trace.V1.Span.Types.SpanKind.Client, span.Kind);
    }

    [Fact]
    public void Decode_JaegerExampleTrace_ReadsThreeResources()
    {
        var request = DecodedFile.Load("jaeger_fixtures/integration_traces/example_trace.json", "traces").Traces;
        var span = request.ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal("00000000000000000000000000000011", Convert.ToHexStringLower(span.TraceId.Span));
        Assert.Equal("example-operation-2", span.Name);
        Assert.Equal(1485449191639875000UL, span.StartTimeUnixNano);
    }

    [Fact]
    public void Decode_JaegerApiV3Snapshot_UnwrapsResultAndReadsErrorStatus()
    {
        var span = DecodedFile.Load("jaeger_fixtures/apiv3_snapshots_GetTrace.json", "traces").Traces.ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal("foobar", span.Name);
        Assert.Equal(Ingest.Otlp.Proto.Trace.V1.Status.Types.StatusCode.Error, span.Status.Code);
        Assert.Equal("00000000000000000000000000000001", Convert.ToHexStringLower(span.TraceId.Span));
    }

    [Fact]
    public void Decode_RustTraces_ReadsHexIds()
    {
        var span = DecodedFile.Load("otel_rust_integration_expected/traces.json", "traces").Traces.ResourceSpans[0].ScopeSpans[0].Spans[0];

        Assert.Equal("9b458af7378cba65253d7042d34fc72e", Convert.ToHexStringLower(span.TraceId.Span));
        Assert.Equal("Sub operation...", span.Name);
    }

    [Fact]
    public void Decode_JavaSpans_ReadsEveryAnyValueKind()
    {
        var attributes = DecodedFile.Load("otel_java_logging_otlp/expected-spans.json", "traces").Traces.ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes;
        AnyValue Get(string key) => attributes.Single(a => a.Key == key).Value;

        Assert.Equal("cat", Get("animal").StringValue);
        Assert.Equal(new byte[] { 1, 2, 3 }, Get("bytes").BytesValue.ToByteArray());
        Assert.Equal(AnyValue.ValueOneofCase.None, Get("empty").ValueCase);
        Assert.Equal(9, Get("lives").IntValue);
        Assert.Equal(2, Get("heterogeneousArray").ArrayValue.Values.Count);
        Assert.Equal(123, Get("heterogeneousArray").ArrayValue.Values[1].IntValue);
        Assert.Equal(AnyValue.ValueOneofCase.KvlistValue, Get("map").ValueCase);
    }

    [Fact]
    public void Decode_Otlp2ParquetGauge_ReadsDoubleAndQuotedInt()
    {
        var metrics = DecodedFile.Load("otlp2parquet_testdata/metrics_gauge.pb", "metrics").Metrics.ResourceMetrics[0].ScopeMetrics[0].Metrics;

        Assert.Equal("cpu.usage", metrics[0].Name);
        Assert.Equal(67.95700988434129, metrics[0].Gauge.DataPoints[0].AsDouble);
        Assert.Equal("memory.available", metrics[1].Name);
        Assert.Equal(8589934592L, metrics[1].Gauge.DataPoints[0].AsInt);
    }

    [Fact]
    public void Decode_RustMetrics_ReadsCounterHistogramAndUpDownCounter()
    {
        var metrics = DecodedFile.Load("otel_rust_integration_expected/metrics.json", "metrics").Metrics.ResourceMetrics[0].ScopeMetrics.SelectMany(s => s.Metrics).ToList();

        Assert.Equal(10L, metrics.Single(m => m.Name == "counter_u64").Sum.DataPoints[0].AsInt);
        Assert.Equal(42.0, metrics.Single(m => m.Name == "example_histogram").Histogram.DataPoints[0].Sum);
        Assert.Equal(-1L, metrics.Single(m => m.Name == "example_up_down_counter").Sum.DataPoints[0].AsInt);
    }

    [Fact]
    public void Decode_ProtoExamplesMetrics_ReadsExponentialHistogramBuckets()
    {
        var metric = DecodedFile.Load("otlp_proto_examples/metrics.json", "metrics").Metrics.ResourceMetrics[0].ScopeMetrics[0].Metrics
            .Single(m => m.Name == "my.exponential.histogram");
        var point = metric.ExponentialHistogram.DataPoints[0];

        Assert.Equal(3UL, point.Count);
        Assert.Equal(1UL, point.ZeroCount);
        Assert.Equal(1, point.Positive.Offset);
        Assert.Equal(new ulong[] { 0, 2 }, point.Positive.BucketCounts.ToArray());
        Assert.Equal(Ingest.Otlp.Proto.Metrics.V1.AggregationTemporality.Delta, metric.ExponentialHistogram.AggregationTemporality);
    }

    [Fact]
    public void Decode_Otlp2ParquetLog_ReadsSeverityNameAndBase64Ids()
    {
        var record = DecodedFile.Load("otlp2parquet_testdata/log.json", "logs").Logs.ResourceLogs[0].ScopeLogs[0].LogRecords[0];

        Assert.Equal(Ingest.Otlp.Proto.Logs.V1.SeverityNumber.Info, record.SeverityNumber);
        Assert.Equal("9d79b1a37f31801cd11a6706fb40d6bd", Convert.ToHexStringLower(record.TraceId.Span));
        Assert.StartsWith("[2025-10-17T22:52:52.254Z] \"GET /api/products/LS4PSXUNUM", record.Body.StringValue, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RustLogs_EmptyIdsAreAbsent()
    {
        var record = DecodedFile.Load("otel_rust_integration_expected/logs.json", "logs").Logs.ResourceLogs[0].ScopeLogs[0].LogRecords[0];

        Assert.True(record.TraceId.IsEmpty);
        Assert.True(record.SpanId.IsEmpty);
        Assert.Equal(Ingest.Otlp.Proto.Logs.V1.SeverityNumber.Info, record.SeverityNumber);
        Assert.Equal("hello from banana. My price is 2.99.", record.Body.StringValue);
    }

    internal sealed record Expected(int Containers, int Items, string Services);
}
