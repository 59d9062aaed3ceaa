using Autopilot.Ingest.Otlp;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Otlp;

/// <summary>
/// Seeded random mutations (bit flips, truncation, insertion, byte overwrite) of valid samples: decoding
/// plus normalizing must either succeed or throw <see cref="OtlpFormatException"/>, nothing else.
/// Deterministic, so a failure reproduces with its seed and iteration.
/// </summary>
public sealed class FuzzTests
{
    private const int Iterations = 1500;

    [Theory]
    [InlineData("otlp2parquet_testdata/trace.pb", OtlpSignalType.Traces, OtlpEncoding.Protobuf, 1)]
    [InlineData("otlp2parquet_testdata/metrics_mixed.pb", OtlpSignalType.Metrics, OtlpEncoding.Protobuf, 2)]
    [InlineData("otlp2parquet_testdata/metrics_exponential_histogram.pb", OtlpSignalType.Metrics, OtlpEncoding.Protobuf, 3)]
    [InlineData("otlp2parquet_testdata/metrics_histogram.pb", OtlpSignalType.Metrics, OtlpEncoding.Protobuf, 4)]
    [InlineData("otlp2parquet_testdata/metrics_summary.pb", OtlpSignalType.Metrics, OtlpEncoding.Protobuf, 5)]
    [InlineData("otel_java_logging_otlp/expected-spans-wrapper.json", OtlpSignalType.Traces, OtlpEncoding.Json, 6)]
    [InlineData("otlp_proto_examples/metrics.json", OtlpSignalType.Metrics, OtlpEncoding.Json, 7)]
    [InlineData("otlp2parquet_testdata/log.json", OtlpSignalType.Logs, OtlpEncoding.Json, 8)]
    [InlineData("otlp2parquet_testdata/metrics_summary.jsonl", OtlpSignalType.Metrics, OtlpEncoding.JsonLines, 9)]
    [InlineData("jaeger_fixtures/integration_traces/example_trace.json", OtlpSignalType.Traces, OtlpEncoding.Json, 10)]
    public void Decode_MutatedValidInput_OnlyEverThrowsOtlpFormatException(string file, OtlpSignalType signal, OtlpEncoding encoding, int seed)
    {
        var original = OtlpTestData.Read(file);
        var decoder = new OtlpDecoder();
        var random = new Random(seed);
        var output = new List<Signal>();
        var outcomes = new int[2];

        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var mutated = Mutate(original, random, encoding != OtlpEncoding.Protobuf);
            output.Clear();
            try
            {
                var result = decoder.Decode(signal, encoding, mutated, output);
                Assert.True(result.Accepted >= 0 && result.Rejected >= 0);
                outcomes[0]++;
            }
            catch (OtlpFormatException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                outcomes[1]++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} iteration {iteration}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }

        // The mutations must exercise both paths, or the test proves nothing.
        Assert.True(outcomes[0] > 0, "no mutation decoded");
        Assert.True(outcomes[1] > 0, "no mutation was rejected");
    }

    [Theory]
    [InlineData(OtlpEncoding.Json)]
    [InlineData(OtlpEncoding.Protobuf)]
    public void Decode_DeeplyNestedAnyValue_RejectedWithClearError(OtlpEncoding encoding)
    {
        const int depth = 5000;
        byte[] payload;
        if (encoding == OtlpEncoding.Json)
        {
            var open = string.Concat(Enumerable.Repeat("{\"arrayValue\":{\"values\":[", depth));
            var close = string.Concat(Enumerable.Repeat("]}}", depth));
            payload = System.Text.Encoding.UTF8.GetBytes(
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":" + open + "{}" + close + "}]}]}]}");
        }
        else
        {
            var value = new Ingest.Otlp.Proto.Common.V1.AnyValue { StringValue = "leaf" };
            for (var i = 0; i < depth; i++)
            {
                var array = new Ingest.Otlp.Proto.Common.V1.ArrayValue();
                array.Values.Add(value);
                value = new Ingest.Otlp.Proto.Common.V1.AnyValue { ArrayValue = array };
            }

            var request = new Ingest.Otlp.Proto.Collector.Logs.V1.ExportLogsServiceRequest();
            var record = new Ingest.Otlp.Proto.Logs.V1.LogRecord { Body = value };
            var scope = new Ingest.Otlp.Proto.Logs.V1.ScopeLogs();
            scope.LogRecords.Add(record);
            var resource = new Ingest.Otlp.Proto.Logs.V1.ResourceLogs();
            resource.ScopeLogs.Add(scope);
            request.ResourceLogs.Add(resource);
            payload = Google.Protobuf.MessageExtensions.ToByteArray(request);
        }

        var e = Assert.Throws<OtlpFormatException>(() => new OtlpDecoder().Decode(OtlpSignalType.Logs, encoding, payload, []));

        Assert.Matches(encoding == OtlpEncoding.Json ? "depth|nested deeper" : "recursion|nest", e.Message);
    }

    [Fact]
    public void Decode_AnyValueJustBeyondLimit_NamesThePathAndLimit()
    {
        var levels = Ingest.Otlp.Json.JsonCursor.MaxAnyValueDepth + 1;
        var open = string.Concat(Enumerable.Repeat("{\"arrayValue\":{\"values\":[", levels - 1));
        var close = string.Concat(Enumerable.Repeat("]}}", levels - 1));
        var payload = System.Text.Encoding.UTF8.GetBytes(
            "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":" + open + "{}" + close + "}]}]}]}");

        var e = Assert.Throws<OtlpFormatException>(() => new OtlpDecoder().Decode(OtlpSignalType.Logs, OtlpEncoding.Json, payload, []));

        Assert.StartsWith("resourceLogs[0].scopeLogs[0].logRecords[0].body.arrayValue.values[0]", e.Message, StringComparison.Ordinal);
        Assert.EndsWith($"AnyValue is nested deeper than {Ingest.Otlp.Json.JsonCursor.MaxAnyValueDepth} levels", e.Message, StringComparison.Ordinal);
    }

    /// <summary>One to three random edits (bit flip, truncation, insertion, overwrite, deletion); <paramref name="text"/> inserts JSON-ish characters.</summary>
    internal static byte[] Mutate(byte[] original, Random random, bool text)
    {
        var bytes = new List<byte>(original);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.Insert(at, text ? (byte)"{}[]\",:0-e.\\ntfa\"zZ9"[random.Next(20)] : (byte)random.Next(256));
                    break;
                case 3:
                    bytes[at] = (byte)random.Next(256);
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return [.. bytes];
    }
}
