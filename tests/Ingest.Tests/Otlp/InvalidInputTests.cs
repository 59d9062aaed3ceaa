using Autopilot.Ingest.Otlp;

namespace Autopilot.Ingest.Tests.Otlp;

/// <summary>otlp2parquet_testdata/invalid/: each case must fail with a message that names its problem (see its README).</summary>
public sealed class InvalidInputTests
{
    [Theory]
    [InlineData("log_invalid_severity.json", "logs", "resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber: \"INVALID_SEVERITY_VALUE\" is not a valid SeverityNumber")]
    [InlineData("metrics_invalid_temporality.json", "metrics", "resourceMetrics[0].scopeMetrics[0].metrics[0].sum.aggregationTemporality: \"INVALID_TEMPORALITY_VALUE\" is not a valid AggregationTemporality")]
    [InlineData("trace_invalid_base64.json", "traces", "resourceSpans[0].scopeSpans[0].spans[0].traceId: \"!!!INVALID_BASE64!!!\" is neither 32 hex digits nor base64 of 16 bytes")]
    [InlineData("trace_invalid_kind.json", "traces", "resourceSpans[0].scopeSpans[0].spans[0].kind: \"SPAN_KIND_INVALID_TYPE\" is not a valid SpanKind")]
    [InlineData("trace_mixed_encoding.json", "traces", "resourceSpans[0].scopeSpans[0].spans[0].traceId: \"zzz\" is neither 32 hex digits nor base64 of 16 bytes")]
    [InlineData("malformed.json", "logs", "logs request is not valid JSON at line 21, byte 15: '/' is invalid")]
    public void Decode_InvalidCase_FailsNamingTheProblem(string file, string signal, string expectedMessage)
    {
        var e = Assert.Throws<OtlpFormatException>(() => DecodedFile.Load("otlp2parquet_testdata/invalid/" + file, signal));

        Assert.StartsWith(expectedMessage, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Malformed_ReportsTheLineOfTheSyntaxError()
    {
        var e = Assert.Throws<OtlpFormatException>(() => DecodedFile.Load("otlp2parquet_testdata/invalid/malformed.json", "logs"));

        Assert.Contains("at line 21", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("otel_rust_integration_expected/failed_traces.json", "traces", 2)]
    [InlineData("otel_rust_integration_expected/failed_logs.json", "logs", 1)]
    public void Decode_RustFailedExpectations_AreValidOtlp(string file, string signal, int items)
    {
        Assert.Equal(items, DecodedFile.Load(file, signal).Items);
    }
}
