using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Tests.Otlp.Wire;

namespace Autopilot.Ingest.Tests.Receivers;

/// <summary>
/// The two ways a binary OTLP request becomes what ingest logs and acknowledges, both through <see cref="SignalDecoder"/>
/// (URN aliases, redaction, partial success, refusal): the wire reader (what receivers use) and Google.Protobuf's object
/// graph + the normalizer (the reference). Each has its own <see cref="Redactor"/> built from the same options, so one
/// redactor's caches cannot make the other's answers. <see cref="Compare"/> says precisely where they differ.
/// </summary>
internal sealed class DecodePaths
{
    private readonly SignalDecoder _wire;
    private readonly SignalDecoder _reference;

    public DecodePaths(IngestOptions? options = null, RedactionOptions? redaction = null)
    {
        options ??= new IngestOptions();
        redaction ??= new RedactionOptions();
        _wire = new SignalDecoder(options, Redactor.Create(redaction), useWireReader: true);
        _reference = new SignalDecoder(options, Redactor.Create(redaction), useWireReader: false);
    }

    public Outcome Wire(IngestSignal signal, byte[] payload) => Run(_wire, signal, payload);

    public Outcome Reference(IngestSignal signal, byte[] payload) => Run(_reference, signal, payload);

    /// <summary>Both outcomes of <paramref name="payload"/> and their first difference (null when they agree).</summary>
    public (Outcome Reference, Outcome Wire, string? Difference) Compare(IngestSignal signal, byte[] payload)
    {
        var reference = Reference(signal, payload);
        var wire = Wire(signal, payload);
        return (reference, wire, Difference(signal, reference, wire));
    }

    public static string? Difference(IngestSignal signal, Outcome reference, Outcome wire)
    {
        if ((reference.Error is null) != (wire.Error is null))
        {
            return reference.Error is null
                ? $"reference accepted ({reference.Request.Signals.Count} signals), wire refused: {wire.Error}"
                : $"reference refused ({reference.Error}), wire accepted ({wire.Request.Signals.Count} signals)";
        }

        if (reference.Error is not null)
        {
            // Both refuse with InvalidRequestException (HTTP 400 / INVALID_ARGUMENT) and leave nothing decoded. The detail
            // after the common prefix is each parser's own (the wire reader names the item and byte).
            var prefix = $"{IngestService.SignalName(signal)} request is not valid protobuf: ";
            if (!reference.Error.StartsWith(prefix, StringComparison.Ordinal) || !wire.Error!.StartsWith(prefix, StringComparison.Ordinal))
            {
                return $"refusals do not both start with '{prefix}': reference '{reference.Error}', wire '{wire.Error}'";
            }

            return reference.Request.Signals.Count + wire.Request.Signals.Count == 0 ? null : "a refused request left signals behind";
        }

        var (r, w) = (reference.Request, wire.Request);
        if (r.AcceptedItems != w.AcceptedItems || r.RejectedItems != w.RejectedItems || !string.Equals(r.FirstError, w.FirstError, StringComparison.Ordinal))
        {
            return $"partial success differs: reference {r.AcceptedItems}/{r.RejectedItems} '{r.FirstError}', wire {w.AcceptedItems}/{w.RejectedItems} '{w.FirstError}'";
        }

        if (r.RedactedSignals != w.RedactedSignals)
        {
            return $"reference redacted {r.RedactedSignals} signals, wire {w.RedactedSignals}";
        }

        if (r.Signals.Count != w.Signals.Count)
        {
            return $"reference has {r.Signals.Count} signals, wire {w.Signals.Count}";
        }

        for (var i = 0; i < r.Signals.Count; i++)
        {
            if (TraceDecoders.SignalDifference(r.Signals[i], w.Signals[i]) is { } difference)
            {
                return $"signal {i}: {difference}";
            }
        }

        // A redacted request is logged as its signals: the records must be the same bytes.
        if (r.RedactedSignals > 0 && !SignalRecordCodec.EncodeRecord(r.Signals).AsSpan().SequenceEqual(SignalRecordCodec.EncodeRecord(w.Signals)))
        {
            return "the write-ahead log records of the redacted signals differ";
        }

        return null;
    }

    private static Outcome Run(SignalDecoder decoder, IngestSignal signal, byte[] payload)
    {
        var request = new DecodedRequest();
        try
        {
            decoder.Decode(signal, PayloadFormat.Protobuf, payload, request);
            return new Outcome(request, null);
        }
        catch (InvalidRequestException e)
        {
            return new Outcome(request, e.Message);
        }
    }

    /// <summary>What one path made of a request: the decoded request, or the refusal's message.</summary>
    public sealed record Outcome(DecodedRequest Request, string? Error);
}
