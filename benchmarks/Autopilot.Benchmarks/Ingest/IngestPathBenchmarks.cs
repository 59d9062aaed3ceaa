using Autopilot.Ingest.Otlp;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Redaction;
using Autopilot.LoadGen;
using BenchmarkDotNet.Attributes;

namespace Autopilot.Benchmarks.Ingest;

/// <summary>
/// Decode + normalize + URN + redaction of OTLP trace requests, the load generator's payload (16 requests of 1000
/// spans, ~790 bytes per span, 5 services, one span in ten a database call), both through <see cref="SignalDecoder"/>
/// exactly as ingest runs it (built-in redaction rules, <see cref="Redactor.Default"/>): Google.Protobuf's object graph
/// then the normalizer (the previous implementation, the baseline) against the span-based reader that walks the
/// protobuf bytes straight into signals. One operation is one span (OperationsPerInvoke = all spans of the 16
/// requests), so ns/op is ns/span on one thread and 1e9/ns is spans per CPU-second. Every invocation checks the
/// signal count, so a variant that drops work cannot look fast.
/// </summary>
[Config(typeof(ShortJobConfig))]
[MemoryDiagnoser]
public class IngestPathBenchmarks
{
    public const int Requests = 16;
    public const int SpansPerRequest = 1000;

    private byte[][] _messages = [];
    private int _expectedSignals;
    private readonly DecodedRequest _output = new();
    private SignalDecoder _reference = null!;
    private SignalDecoder _wire = null!;

    [GlobalSetup]
    public void Setup()
    {
        _messages = new byte[Requests][];
        var payloads = TracePayloads.Build(Requests, SpansPerRequest, seed: 42);
        for (var i = 0; i < Requests; i++)
        {
            _messages[i] = payloads[i].GrpcFrame.AsSpan(5).ToArray();
        }

        _reference = new SignalDecoder(new IngestOptions(), Redactor.Default, useWireReader: false);
        _wire = new SignalDecoder(new IngestOptions(), Redactor.Default, useWireReader: true);
        _expectedSignals = 0;
        foreach (var message in _messages)
        {
            _reference.Decode(IngestSignal.Traces, PayloadFormat.Protobuf, message, _output);
            _expectedSignals += _output.Signals.Count;
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

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests * SpansPerRequest, Description = "Google.Protobuf + OtlpNormalizer + redaction (previous)")]
    public int ObjectGraph() => Run(_reference);

    [Benchmark(OperationsPerInvoke = Requests * SpansPerRequest, Description = "Span-based wire reader + redaction")]
    public int WireReader() => Run(_wire);

    private int Run(SignalDecoder decoder)
    {
        var signals = 0;
        foreach (var message in _messages)
        {
            // Decode clears the request first, as each receiver's does.
            decoder.Decode(IngestSignal.Traces, PayloadFormat.Protobuf, message, _output);
            signals += _output.Signals.Count;
        }

        return Check(signals);
    }

    private int Check(int signals) =>
        signals == _expectedSignals ? signals : throw new InvalidOperationException($"{signals} signals, expected {_expectedSignals}");
}
