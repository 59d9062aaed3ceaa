using System.Runtime.InteropServices;
using Autopilot.Ingest.OpenLineage;
using Autopilot.Ingest.Otlp;
using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.RemoteWrite;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// The decoder behind every receiver: OTLP (protobuf and both JSON dialects), OpenLineage events and
/// Prometheus remote write, each into canonical signals with URNs resolved and aliases applied.
/// Format errors of any decoder become <see cref="InvalidRequestException"/>. Every signal goes through the
/// <see cref="Redactor"/> (the OTLP decoder applies it itself, the binary trace and log reader as it reads), so what the
/// log, the inventory and the engines see is already redacted.
/// Thread-safe.
/// </summary>
public sealed class SignalDecoder : IRequestDecoder
{
    private readonly OtlpDecoder _otlp;
    private readonly UrnAliases _aliases;
    private readonly int _maxDecompressedBytes;
    private readonly Redactor _redactor;

    /// <summary>A decoder that redacts with <paramref name="redactor"/>; null means the built-in rules (<see cref="Redactor.Default"/>).</summary>
    public SignalDecoder(IngestOptions options, Redactor? redactor = null)
        : this(options, redactor, useWireReader: true)
    {
    }

    /// <summary>
    /// <paramref name="useWireReader"/> false decodes binary OTLP traces and logs through Google.Protobuf's object graph
    /// (the previous path), the reference the wire reader is tested and benchmarked against; redaction is the same.
    /// </summary>
    internal SignalDecoder(IngestOptions options, Redactor? redactor, bool useWireReader)
    {
        ArgumentNullException.ThrowIfNull(options);
        _redactor = redactor ?? Redactor.Default;
        _aliases = options.UrnAliases.Count == 0 ? UrnAliases.None : new UrnAliases(new Dictionary<string, string>(options.UrnAliases, StringComparer.Ordinal));
        _otlp = new OtlpDecoder(new OtlpNormalizerOptions { Aliases = _aliases, Redactor = _redactor }, useWireReader);
        _maxDecompressedBytes = options.MaxRequestBytes;
    }

    public void Decode(IngestSignal signal, PayloadFormat format, ReadOnlySpan<byte> body, DecodedRequest into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.Signals.Clear();
        into.AcceptedItems = into.RejectedItems = 0;
        into.FirstError = null;
        into.RedactedSignals = 0;
        if (format == PayloadFormat.Signals)
        {
            // A logged request that was redacted when accepted: its signals, aliases and redaction already applied.
            SignalRecordCodec.Decode(body, into.Signals);
            into.AcceptedItems = into.Signals.Count;
            return;
        }

        var otlp = false;
        try
        {
            switch (signal)
            {
                case IngestSignal.Traces or IngestSignal.Metrics or IngestSignal.Logs:
                    var encoding = format switch
                    {
                        PayloadFormat.Protobuf => OtlpEncoding.Protobuf,
                        PayloadFormat.Json => OtlpEncoding.Json,
                        _ => throw new InvalidRequestException($"OTLP {signal} cannot be sent as {format}"),
                    };
                    var result = _otlp.Decode((OtlpSignalType)signal, encoding, body, into.Signals);
                    into.AcceptedItems = result.Accepted;
                    into.RejectedItems = result.Rejected;
                    into.FirstError = result.FirstError;
                    into.RedactedSignals = result.Redacted;
                    otlp = true;
                    break;
                case IngestSignal.Lineage:
                    OpenLineageDecoder.Decode(body, into.Signals);
                    into.AcceptedItems = 1;
                    break;
                case IngestSignal.RemoteWrite:
                    into.AcceptedItems = RemoteWriteDecoder.Decode(body, into.Signals, _maxDecompressedBytes);
                    break;
                default:
                    throw new InvalidRequestException($"unknown signal type {(byte)signal}");
            }
        }
        catch (OtlpFormatException e)
        {
            throw new InvalidRequestException(e.Message, e);
        }
        catch (LineageFormatException e)
        {
            throw new InvalidRequestException(e.Message, e);
        }
        catch (RemoteWriteFormatException e)
        {
            throw new InvalidRequestException(e.Message, e);
        }

        // The OTLP decoder applies aliases and redaction itself; the other decoders leave them to here.
        if (!otlp)
        {
            if (_aliases.Count > 0)
            {
                foreach (ref var s in CollectionsMarshal.AsSpan(into.Signals))
                {
                    s = s with { Urn = _aliases.Resolve(s.Urn) };
                }
            }

            into.RedactedSignals = _redactor.Redact(CollectionsMarshal.AsSpan(into.Signals));
        }
    }
}
