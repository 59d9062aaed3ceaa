using Autopilot.Ingest.Otlp;
using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Otlp.Wire;
using Autopilot.Ingest.Signals;
using Autopilot.LoadGen;
using BenchmarkDotNet.Attributes;

namespace Autopilot.Benchmarks.Ingest;

/// <summary>
/// Decode + normalize + URN of OTLP trace requests, the load generator's payload (16 requests of 1000 spans,
/// ~790 bytes per span, 5 services, one span in ten a database call): Google.Protobuf's object graph then
/// <see cref="OtlpNormalizer"/> (the previous implementation, the baseline) against the span-based reader
/// that walks the protobuf bytes straight into signals. One operation is one span (OperationsPerInvoke =
/// all spans of the 16 requests), so ns/op is ns/span on one thread and 1e9/ns is spans per CPU-second.
/// Every invocation checks the signal count, so a variant that drops work cannot look fast.
/// </summary>
[Config(typeof(IngestPathBenchmarkConfig))]
[MemoryDiagnoser]
public class IngestPathBenchmarks
{
    public const int Requests = 16;
    public const int SpansPerRequest = 1000;

    private byte[][] _messages = [];
    private int _expectedSignals;
    private readonly List<Signal> _output = new(2048);
    private OtlpNormalizer _normalizer = null!;
    private OtlpWireNormalizer _wire = null!;

    [GlobalSetup]
    public void Setup()
    {
        _messages = new byte[Requests][];
        var payloads = TracePayloads.Build(Requests, SpansPerRequest, seed: 42);
        for (var i = 0; i < Requests; i++)
        {
            _messages[i] = payloads[i].GrpcFrame.AsSpan(5).ToArray();
        }

        _normalizer = new OtlpNormalizer(new OtlpNormalizerOptions());
        _wire = new OtlpWireNormalizer(new OtlpNormalizerOptions());
        _expectedSignals = 0;
        foreach (var message in _messages)
        {
            _output.Clear();
            _normalizer.Normalize(OtlpProtobufDecoder.DecodeTraces(message), _output);
            _expectedSignals += _output.Count;
        }
    }

    [Benchmark(OperationsPerInvoke = Requests * SpansPerRequest, Description = "Google.Protobuf ParseFrom only")]
    public int ParseOnly()
    {
        var spans = 0;
        foreach (var message in _messages)
        {
            var request = OtlpProtobufDecoder.DecodeTraces(message);
            spans += request.ResourceSpans.Count;
        }

        return spans;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests * SpansPerRequest, Description = "Google.Protobuf + OtlpNormalizer (previous)")]
    public int ObjectGraph()
    {
        var signals = 0;
        foreach (var message in _messages)
        {
            _output.Clear();
            _normalizer.Normalize(OtlpProtobufDecoder.DecodeTraces(message), _output);
            signals += _output.Count;
        }

        return Check(signals);
    }

    [Benchmark(OperationsPerInvoke = Requests * SpansPerRequest, Description = "Span-based wire reader")]
    public int WireReader()
    {
        var signals = 0;
        foreach (var message in _messages)
        {
            _output.Clear();
            _wire.NormalizeTraces(message, _output);
            signals += _output.Count;
        }

        return Check(signals);
    }

    private int Check(int signals) =>
        signals == _expectedSignals ? signals : throw new InvalidOperationException($"{signals} signals, expected {_expectedSignals}");
}
