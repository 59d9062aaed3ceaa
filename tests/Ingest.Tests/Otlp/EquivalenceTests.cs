namespace Autopilot.Ingest.Tests.Otlp;

/// <summary>otlp2parquet ships the same requests as JSON (plain proto3 dialect), JSON Lines and protobuf.</summary>
public sealed class EquivalenceTests
{
    [Theory]
    [InlineData("otlp2parquet_testdata/trace.json", "otlp2parquet_testdata/trace.pb", "traces")]
    [InlineData("otlp2parquet_testdata/traces.jsonl", "otlp2parquet_testdata/traces.pb", "traces")]
    [InlineData("otlp2parquet_testdata/logs.jsonl", "otlp2parquet_testdata/logs.pb", "logs")]
    [InlineData("otlp2parquet_testdata/metrics_gauge.json", "otlp2parquet_testdata/metrics_gauge.pb", "metrics")]
    [InlineData("otlp2parquet_testdata/metrics_sum.json", "otlp2parquet_testdata/metrics_sum.pb", "metrics")]
    [InlineData("otlp2parquet_testdata/metrics_histogram.json", "otlp2parquet_testdata/metrics_histogram.pb", "metrics")]
    [InlineData("otlp2parquet_testdata/metrics_exponential_histogram.json", "otlp2parquet_testdata/metrics_exponential_histogram.pb", "metrics")]
    [InlineData("otlp2parquet_testdata/metrics_summary.json", "otlp2parquet_testdata/metrics_summary.pb", "metrics")]
    [InlineData("otlp2parquet_testdata/metrics_mixed.json", "otlp2parquet_testdata/metrics_mixed.pb", "metrics")]
    [InlineData("otlp2parquet_testdata/metrics_mixed.jsonl", "otlp2parquet_testdata/metrics_mixed.pb", "metrics")]
    public void Decode_JsonAndProtobufOfSameRequest_ProduceEqualMessages(string json, string protobuf, string signal)
    {
        var fromJson = DecodedFile.Load(json, signal);
        var fromProtobuf = DecodedFile.Load(protobuf, signal);

        Assert.Equal(fromProtobuf.Traces, fromJson.Traces);
        Assert.Equal(fromProtobuf.Metrics, fromJson.Metrics);
        Assert.Equal(fromProtobuf.Logs, fromJson.Logs);
    }
}
