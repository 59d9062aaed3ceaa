using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Otlp.Proto.Logs.V1;
using Autopilot.Ingest.Signals;
using Google.Protobuf;

namespace Autopilot.Ingest.Tests.Otlp.Normalization;

public sealed class OtlpNormalizerTests
{
    public static TheoryData<string> DecodableFiles() => new(GoldenFileTests.DecodableFileNames());

    /// <summary>
    /// The Rust exporter's serde output (serialized_metrics.json) drops the NumberDataPoint value oneof, so
    /// both its sum points carry no value: real data that the per-item rule refuses.
    /// </summary>
    private static readonly Dictionary<string, int> ExpectedRejections = new(StringComparer.Ordinal)
    {
        ["otel_rust_integration_expected/serialized_metrics.json"] = 2,
    };

    [Theory]
    [MemberData(nameof(DecodableFiles))]
    public void Normalize_IndexedFile_EmitsOneSignalPerAcceptedItem(string file)
    {
        var (result, signals) = NormalizeHelper.File(file, OtlpTestData.Entry(file).Signal);
        var expected = GoldenFileTests.ExpectedByFile[file];
        var rejected = ExpectedRejections.GetValueOrDefault(file);

        Assert.Equal(rejected, result.Rejected);
        Assert.Equal(rejected == 0, result.FirstError is null);
        Assert.Equal(expected.Items - rejected, result.Accepted);
        Assert.Equal(expected.Items - rejected, signals.Count(s => s.Kind != SignalKind.Record));
        Assert.All(signals, s => Assert.True(Urn.TryParse(s.Urn, out _, out _, out _), s.Urn));
    }

    [Fact]
    public void Normalize_Otlp2ParquetTrace_MapsSpanFields()
    {
        var (_, signals) = NormalizeHelper.File("otlp2parquet_testdata/trace.json", "traces");
        var span = signals[0];

        Assert.Equal(SignalKind.Span, span.Kind);
        Assert.Equal("urn:autopilot:service:opentelemetry-demo:frontend-proxy", span.Urn);
        Assert.Equal("router frontend egress", span.Name);
        Assert.Equal(1760738064624462000L, span.TimeUnixNano);
        Assert.Equal(4.021, span.Value, 9);
        Assert.Equal("9d79b1a37f31801cd11a6706fb40d6bd", span.TraceId.ToString());
        Assert.Equal(0xde562439e9c1b823UL, span.SpanId);
        Assert.Equal(SignalStatus.Unset, span.Status);
        Assert.Equal(200, span.StatusCode);
        Assert.Null(span.CorrelationId);
        Assert.Equal("client", span.Attributes.Get("span.kind"));
        Assert.Equal("57526846903bb13e", span.Attributes.Get("span.parent_id"));
        Assert.Equal("HTTP/1.1", span.Attributes.Get("http.protocol"));
        Assert.Equal("2.1.3", span.Attributes.Get("service.version"));
    }

    [Fact]
    public void Normalize_JaegerApiV3Snapshot_ErrorStatusAndUnknownService()
    {
        var (_, signals) = NormalizeHelper.File("jaeger_fixtures/apiv3_snapshots_GetTrace.json", "traces");

        var span = Assert.Single(signals);
        Assert.Equal(SignalStatus.Error, span.Status);
        Assert.Equal("urn:autopilot:service:default:unknown_service", span.Urn);
        Assert.Equal("server", span.Attributes.Get("span.kind"));
        Assert.Equal(0d, span.Value);
    }

    [Fact]
    public void Normalize_Otlp2ParquetTraces_GrpcStatusCodeWhenNoHttpStatus()
    {
        var (_, signals) = NormalizeHelper.File("otlp2parquet_testdata/traces.jsonl", "traces");

        var grpc = signals.First(s => s.Attributes.Get("rpc.system") == "grpc");
        Assert.Equal("urn:autopilot:service:opentelemetry-demo:product-catalog", grpc.Urn);
        Assert.Equal(0, grpc.StatusCode);
        Assert.Equal(367.0, grpc.Value, 6);
    }

    [Fact]
    public void Normalize_Otlp2ParquetGauge_OneSignalPerPointWithValueTypeAndUnit()
    {
        var (_, signals) = NormalizeHelper.File("otlp2parquet_testdata/metrics_gauge.pb", "metrics");

        Assert.All(signals, s => Assert.Equal("urn:autopilot:service:production:demo-service", s.Urn));
        var cpu = signals.First(s => s.Name == "cpu.usage");
        Assert.Equal(SignalKind.Metric, cpu.Kind);
        Assert.Equal(67.95700988434129, cpu.Value);
        Assert.Equal("gauge", cpu.Attributes.Get("metric.type"));
        Assert.Equal(8589934592d, signals.Single(s => s.Name == "memory.available").Value);
    }

    [Fact]
    public void Normalize_ProtoExamplesHistogram_MeanAndInterpolatedPercentiles()
    {
        var (_, signals) = NormalizeHelper.File("otlp_proto_examples/metrics.json", "metrics");
        var histogram = signals.Single(s => s.Name == "my.histogram");

        // count 2, sum 2, buckets [1, 1] around bound 1, min 0, max 2.
        Assert.Equal(1d, histogram.Value);
        Assert.Equal("2", histogram.Attributes.Get("count"));
        Assert.Equal("2", histogram.Attributes.Get("sum"));
        Assert.Equal("1", histogram.Attributes.Get("p50"));
        Assert.Equal(1.98, double.Parse(histogram.Attributes.Get("p99")!, System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.Equal("histogram", histogram.Attributes.Get("metric.type"));
        Assert.Equal("1", histogram.Attributes.Get("metric.unit"));
        Assert.Equal("delta", histogram.Attributes.Get("metric.temporality"));
    }

    [Fact]
    public void Normalize_ProtoExamplesExponentialHistogram_PercentilesClampedToMax()
    {
        var (_, signals) = NormalizeHelper.File("otlp_proto_examples/metrics.json", "metrics");
        var exponential = signals.Single(s => s.Name == "my.exponential.histogram");

        // count 3, sum 10, one zero, two in bucket (4, 8] at scale 0, max 5.
        Assert.Equal(10d / 3, exponential.Value, 12);
        Assert.Equal("5", exponential.Attributes.Get("p50"));
        Assert.Equal("5", exponential.Attributes.Get("p99"));
        Assert.Equal("exponential_histogram", exponential.Attributes.Get("metric.type"));
    }

    [Fact]
    public void Normalize_Otlp2ParquetExponentialHistogram_PercentilesClampedToRecordedMin()
    {
        var (_, signals) = NormalizeHelper.File("otlp2parquet_testdata/metrics_exponential_histogram.json", "metrics");
        var card = signals.First(s => s.Attributes.Get("payment.method") == "credit_card");
        double P(string key) => double.Parse(card.Attributes.Get(key)!, System.Globalization.CultureInfo.InvariantCulture);

        // scale 3, offset 2: the buckets cover (2^(2/8), 2^(8/8)] = (1.19, 2], and rank 1271.5 falls in
        // (2^(4/8), 2^(5/8)]; but the generated point says min 12.3, so every estimate is clamped to it.
        Assert.Equal(125634.5 / 2543, card.Value, 9);
        Assert.Equal(12.3, P("p50"));
        Assert.Equal(12.3, P("p99"));
        Assert.Equal("12.3", card.Attributes.Get("min"));
        Assert.Equal("1234.5", card.Attributes.Get("max"));
    }

    [Fact]
    public void Normalize_Otlp2ParquetSummary_ReportedQuantiles()
    {
        var (_, signals) = NormalizeHelper.File("otlp2parquet_testdata/metrics_summary.json", "metrics");
        var summary = signals.First(s => s.Attributes.Get("endpoint") == "/api/analytics");

        Assert.Equal(45892134.0 / 8534, summary.Value, 9);
        Assert.Equal("8534", summary.Attributes.Get("count"));
        Assert.Equal("4512", summary.Attributes.Get("p50"));
        Assert.Equal("18923", summary.Attributes.Get("p95"));
        Assert.Equal("45123", summary.Attributes.Get("p99"));
        Assert.Equal("summary", summary.Attributes.Get("metric.type"));
    }

    [Fact]
    public void Normalize_RustSums_IntValuesAndTemporality()
    {
        var (_, signals) = NormalizeHelper.File("otel_rust_integration_expected/metrics.json", "metrics");

        Assert.Equal(10d, signals.Single(s => s.Name == "counter_u64").Value);
        Assert.Equal(-1d, signals.Single(s => s.Name == "example_up_down_counter").Value);
        Assert.Equal("cumulative", signals.Single(s => s.Name == "counter_u64").Attributes.Get("metric.temporality"));
        Assert.Equal(42d, signals.Single(s => s.Name == "example_histogram").Value);
    }

    [Fact]
    public void Normalize_Otlp2ParquetLog_MapsLogFields()
    {
        var (_, signals) = NormalizeHelper.File("otlp2parquet_testdata/log.json", "logs");
        var log = Assert.Single(signals);

        Assert.Equal(SignalKind.Log, log.Kind);
        Assert.Equal("urn:autopilot:service:default:frontend-proxy", log.Urn);
        Assert.StartsWith("[2025-10-17T22:52:52.254Z] \"GET /api/products/LS4PSXUNUM", log.Name, StringComparison.Ordinal);
        Assert.Equal(SignalStatus.Unset, log.Status);
        Assert.Equal(9, log.StatusCode);
        Assert.Equal("9d79b1a37f31801cd11a6706fb40d6bd", log.TraceId.ToString());
        Assert.Equal(0x57526846903bb13eUL, log.SpanId);
    }

    [Fact]
    public void Normalize_RustLog_NoIdsUsesObservedTimeAndSeverityText()
    {
        var (_, signals) = NormalizeHelper.File("otel_rust_integration_expected/logs.json", "logs");
        var log = Assert.Single(signals);

        Assert.True(log.TraceId.IsEmpty);
        Assert.Equal(0UL, log.SpanId);
        Assert.Equal(1715753202587469939L, log.TimeUnixNano);
        Assert.Equal("INFO", log.Attributes.Get("severity.text"));
        Assert.Equal("hello from banana. My price is 2.99.", log.Name);
        Assert.Equal("urn:autopilot:service:default:logs-integration-test", log.Urn);
    }

    [Fact]
    public void Normalize_ErrorSeverityAndStructuredBody_ErrorStatusAndCompactJsonName()
    {
        var decoded = DecodedFile.Load("otlp_proto_examples/logs.json", "logs");
        var record = decoded.Logs.ResourceLogs[0].ScopeLogs[0].LogRecords[0];
        record.SeverityNumber = SeverityNumber.Error;
        record.Body = DecodedFile.Load("otel_java_logging_otlp/expected-spans.json", "traces")
            .Traces.ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes.Single(a => a.Key == "heterogeneousArray").Value;

        var (_, signals) = NormalizeHelper.Request(decoded);

        Assert.Equal(SignalStatus.Error, signals[0].Status);
        Assert.Equal(17, signals[0].StatusCode);
        Assert.Equal("[\"string\",123]", signals[0].Name);
    }

    [Fact]
    public void Normalize_InvalidIdsAndValuelessPoints_RejectedAndCountedForPartialSuccess()
    {
        var traces = DecodedFile.Load("otlp2parquet_testdata/trace.json", "traces");
        traces.Traces.ResourceSpans[0].ScopeSpans[0].Spans[1].TraceId = ByteString.CopyFrom(1, 2, 3);
        var metrics = DecodedFile.Load("otlp2parquet_testdata/metrics_gauge.json", "metrics");
        metrics.Metrics.ResourceMetrics[0].ScopeMetrics[0].Metrics[0].Gauge.DataPoints[0].ClearValue();
        var logs = DecodedFile.Load("otlp2parquet_testdata/log.json", "logs");
        logs.Logs.ResourceLogs[0].ScopeLogs[0].LogRecords[0].SpanId = ByteString.CopyFrom(1, 2);

        var (traceResult, traceSignals) = NormalizeHelper.Request(traces);
        var (metricResult, metricSignals) = NormalizeHelper.Request(metrics);
        var (logResult, logSignals) = NormalizeHelper.Request(logs);

        Assert.Equal(new OtlpNormalizeResult(1, 1, "span 1 of scope 0 of resource 0: trace id has 3 bytes, expected 16"), traceResult);
        Assert.Single(traceSignals);
        Assert.Equal(2, metricResult.Accepted);
        Assert.Equal(1, metricResult.Rejected);
        Assert.Equal("data point 0 of metric 0 of scope 0 of resource 0: metric 'cpu.usage' data point has no value (neither asDouble nor asInt)", metricResult.FirstError);
        Assert.Equal(2, metricSignals.Count);
        Assert.Equal(new OtlpNormalizeResult(0, 1, "log record 0 of scope 0 of resource 0: span id has 2 bytes, expected 8 or none"), logResult);
        Assert.Empty(logSignals);
    }

    [Fact]
    public void Normalize_HistogramWithMismatchedBuckets_Rejected()
    {
        var metrics = DecodedFile.Load("otlp2parquet_testdata/metrics_histogram.json", "metrics");
        var point = metrics.Metrics.ResourceMetrics[0].ScopeMetrics[0].Metrics[0].Histogram.DataPoints[0];
        point.ExplicitBounds.Add(1e9);

        var (result, _) = NormalizeHelper.Request(metrics);

        Assert.Equal(1, result.Rejected);
        Assert.Contains("explicit bounds (expected bounds + 1)", result.FirstError, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_AllZeroTraceId_Rejected()
    {
        var traces = DecodedFile.Load("otlp2parquet_testdata/trace.json", "traces");
        traces.Traces.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId = ByteString.CopyFrom(new byte[16]);

        var (result, _) = NormalizeHelper.Request(traces);

        Assert.Equal(1, result.Rejected);
        Assert.Contains("all zeros", result.FirstError, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_SameKeysAcrossRequests_ShareInternedInstances()
    {
        // The interner is direct-mapped on string.GetHashCode, which is randomised per process: at the default 8,192
        // slots another string of the file lands on the same slot as one of these three in a few percent of runs and
        // evicts it (by design). A million slots make that a ~0.1 % chance, so a failure here means interning broke.
        var normalizer = new OtlpNormalizer(new OtlpNormalizerOptions { InternerCapacity = 1 << 20 });
        var first = new List<Signal>();
        var second = new List<Signal>();
        normalizer.Normalize(DecodedFile.Load("otlp2parquet_testdata/trace.json", "traces").Traces, first);
        normalizer.Normalize(DecodedFile.Load("otlp2parquet_testdata/trace.pb", "traces").Traces, second);

        Assert.Same(first[0].Urn, second[0].Urn);
        Assert.Same(first[0].Name, second[0].Name);
        Assert.Same(first[0].Attributes.KeyAt(0), second[0].Attributes.KeyAt(0));
    }

    [Fact]
    public void Options_InvalidCapacity_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new OtlpNormalizer(new OtlpNormalizerOptions { InternerCapacity = 0 }));

        Assert.Contains("InternerCapacity", e.Message, StringComparison.Ordinal);
    }
}
