using System.Runtime.InteropServices;
using Autopilot.Ingest.Otlp.Json;
using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Otlp.Proto.Collector.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Metrics.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Otlp.Wire;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Otlp;

/// <summary>
/// The public face of OTLP decoding: payload bytes in, canonical signals out. Receivers that also need
/// the request message (to keep it in the write-ahead log) use the internal decoders and
/// <see cref="OtlpNormalizer"/> directly. Thread-safe; create one per process.
/// </summary>
public sealed class OtlpDecoder
{
    private readonly OtlpNormalizer _normalizer;
    private readonly OtlpWireNormalizer _wire;
    private readonly bool _useWireReader;
    private readonly Redactor _redactor;

    public OtlpDecoder(OtlpNormalizerOptions? options = null)
        : this(options, useWireReader: true)
    {
    }

    /// <summary>
    /// <paramref name="useWireReader"/> false decodes binary traces and logs the previous way (Google.Protobuf's
    /// object graph + <see cref="OtlpNormalizer"/>): the reference that tests and benchmarks hold the wire reader to.
    /// </summary>
    internal OtlpDecoder(OtlpNormalizerOptions? options, bool useWireReader)
    {
        options ??= new OtlpNormalizerOptions();
        _normalizer = new OtlpNormalizer(options);
        _wire = new OtlpWireNormalizer(options);
        _useWireReader = useWireReader;
        _redactor = options.Redactor;
    }

    /// <summary>Normalizes request messages (OTLP/JSON, and binary OTLP kinds the wire reader does not cover).</summary>
    internal OtlpNormalizer Normalizer => _normalizer;

    /// <summary>Binary OTLP traces and logs straight from the bytes.</summary>
    internal OtlpWireNormalizer Wire => _wire;

    /// <summary>
    /// Decodes one payload and appends its signals to <paramref name="output"/>.
    /// </summary>
    /// <returns>
    /// Accepted and rejected OTLP items (for partial success; rejected items emit nothing), and how many signals the
    /// options' <see cref="OtlpNormalizerOptions.Redactor"/> changed.
    /// </returns>
    /// <exception cref="OtlpFormatException">The payload is not a valid OTLP request; nothing was appended.</exception>
    public OtlpNormalizeResult Decode(OtlpSignalType signal, OtlpEncoding encoding, ReadOnlySpan<byte> payload, List<Signal> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_useWireReader && encoding == OtlpEncoding.Protobuf && signal is OtlpSignalType.Traces or OtlpSignalType.Logs)
        {
            // The wire reader redacts as it reads, while each value's bytes are at hand.
            return signal == OtlpSignalType.Traces ? _wire.NormalizeTraces(payload, output) : _wire.NormalizeLogs(payload, output);
        }

        var start = output.Count;
        var result = (signal, encoding) switch
        {
            (OtlpSignalType.Traces, OtlpEncoding.Protobuf) => _normalizer.Normalize(OtlpProtobufDecoder.DecodeTraces(payload), output),
            (OtlpSignalType.Traces, OtlpEncoding.Json) => _normalizer.Normalize(OtlpJsonReader.ReadTraces(payload), output),
            (OtlpSignalType.Traces, OtlpEncoding.JsonLines) => NormalizeTraceLines(payload, output),
            (OtlpSignalType.Metrics, OtlpEncoding.Protobuf) => _normalizer.Normalize(OtlpProtobufDecoder.DecodeMetrics(payload), output),
            (OtlpSignalType.Metrics, OtlpEncoding.Json) => _normalizer.Normalize(OtlpJsonReader.ReadMetrics(payload), output),
            (OtlpSignalType.Metrics, OtlpEncoding.JsonLines) => NormalizeMetricLines(payload, output),
            (OtlpSignalType.Logs, OtlpEncoding.Protobuf) => _normalizer.Normalize(OtlpProtobufDecoder.DecodeLogs(payload), output),
            (OtlpSignalType.Logs, OtlpEncoding.Json) => _normalizer.Normalize(OtlpJsonReader.ReadLogs(payload), output),
            (OtlpSignalType.Logs, OtlpEncoding.JsonLines) => NormalizeLogLines(payload, output),
            _ => throw new ArgumentOutOfRangeException(nameof(signal), $"unsupported combination {signal} / {encoding}."),
        };
        // Metrics are redacted by the normalizer as it builds each point (their rendered numbers are left alone).
        return _redactor.Enabled && signal != OtlpSignalType.Metrics
            ? result with { Redacted = _redactor.Redact(CollectionsMarshal.AsSpan(output)[start..]) }
            : result;
    }

    // Lines are all decoded before any is normalized, so a bad line leaves output untouched.
    private OtlpNormalizeResult NormalizeTraceLines(ReadOnlySpan<byte> payload, List<Signal> output)
    {
        var requests = new List<ExportTraceServiceRequest>();
        OtlpJsonReader.ReadTracesLines(payload, requests);
        var result = default(OtlpNormalizeResult);
        foreach (var request in requests)
        {
            result = result.Add(_normalizer.Normalize(request, output));
        }

        return result;
    }

    private OtlpNormalizeResult NormalizeMetricLines(ReadOnlySpan<byte> payload, List<Signal> output)
    {
        var requests = new List<ExportMetricsServiceRequest>();
        OtlpJsonReader.ReadMetricsLines(payload, requests);
        var result = default(OtlpNormalizeResult);
        foreach (var request in requests)
        {
            result = result.Add(_normalizer.Normalize(request, output));
        }

        return result;
    }

    private OtlpNormalizeResult NormalizeLogLines(ReadOnlySpan<byte> payload, List<Signal> output)
    {
        var requests = new List<ExportLogsServiceRequest>();
        OtlpJsonReader.ReadLogsLines(payload, requests);
        var result = default(OtlpNormalizeResult);
        foreach (var request in requests)
        {
            result = result.Add(_normalizer.Normalize(request, output));
        }

        return result;
    }
}
