using System.Globalization;
using System.Text;
using Autopilot.Ingest.Otlp;
using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Otlp.Wire;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>
/// The two ways binary OTLP traces (or, with <paramref name="logs"/>, logs) become signals: Google.Protobuf's object graph
/// + <see cref="OtlpNormalizer"/> (the previous implementation, the reference) and <see cref="OtlpWireNormalizer"/>; and a
/// comparison of their outcomes that says precisely where they differ.
/// </summary>
internal sealed class TraceDecoders(OtlpNormalizerOptions? options = null, bool logs = false)
{
    private readonly OtlpNormalizer _reference = new(options ?? new OtlpNormalizerOptions());
    private readonly OtlpWireNormalizer _wire = new(options ?? new OtlpNormalizerOptions());

    public Outcome Reference(byte[] payload)
    {
        var signals = new List<Signal>();
        try
        {
            var result = logs
                ? _reference.Normalize(OtlpProtobufDecoder.DecodeLogs(payload), signals)
                : _reference.Normalize(OtlpProtobufDecoder.DecodeTraces(payload), signals);
            return new Outcome(result, signals, null);
        }
        catch (OtlpFormatException e)
        {
            return new Outcome(default, signals, e.Message);
        }
    }

    public Outcome Wire(byte[] payload)
    {
        // Signals already in the list must survive a refused request untouched.
        var signals = new List<Signal> { Sentinel };
        try
        {
            var result = logs ? _wire.NormalizeLogs(payload, signals) : _wire.NormalizeTraces(payload, signals);
            signals.RemoveAt(0);
            return new Outcome(result, signals, null);
        }
        catch (OtlpFormatException e)
        {
            if (signals.Count != 1 || !ReferenceEquals(signals[0].Urn, Sentinel.Urn))
            {
                throw new InvalidOperationException($"a refused request left {signals.Count - 1} signals behind or removed others");
            }

            return new Outcome(default, [], e.Message);
        }
    }

    /// <summary>Null when both decoders agree (both refuse, or both accept with equal results and signals), else the first difference.</summary>
    public string? Compare(byte[] payload)
    {
        var reference = Reference(payload);
        var wire = Wire(payload);
        return Difference(reference, wire);
    }

    public static string? Difference(Outcome reference, Outcome wire)
    {
        if ((reference.Error is null) != (wire.Error is null))
        {
            return reference.Error is null
                ? $"reference accepted ({reference.Signals.Count} signals), wire refused: {wire.Error}"
                : $"reference refused ({reference.Error}), wire accepted ({wire.Signals.Count} signals)";
        }

        if (reference.Error is not null)
        {
            return null;
        }

        if (reference.Result != wire.Result)
        {
            return $"results differ: reference {reference.Result}, wire {wire.Result}";
        }

        if (reference.Signals.Count != wire.Signals.Count)
        {
            return $"reference has {reference.Signals.Count} signals, wire {wire.Signals.Count}";
        }

        for (var i = 0; i < reference.Signals.Count; i++)
        {
            if (SignalDifference(reference.Signals[i], wire.Signals[i]) is { } difference)
            {
                return $"signal {i}: {difference}";
            }
        }

        return null;
    }

    public static string? SignalDifference(Signal expected, Signal actual)
    {
        if (expected with { Attributes = SignalAttributes.Empty } != actual with { Attributes = SignalAttributes.Empty })
        {
            return $"expected {Describe(expected)}, got {Describe(actual)}";
        }

        if (expected.Attributes.Count != actual.Attributes.Count)
        {
            return $"expected {expected.Attributes.Count} attributes ({Describe(expected.Attributes)}), got {actual.Attributes.Count} ({Describe(actual.Attributes)})";
        }

        for (var a = 0; a < expected.Attributes.Count; a++)
        {
            if (!string.Equals(expected.Attributes.KeyAt(a), actual.Attributes.KeyAt(a), StringComparison.Ordinal)
                || !string.Equals(expected.Attributes.ValueAt(a), actual.Attributes.ValueAt(a), StringComparison.Ordinal))
            {
                return $"attribute {a}: expected {expected.Attributes.KeyAt(a)}={expected.Attributes.ValueAt(a)}, got {actual.Attributes.KeyAt(a)}={actual.Attributes.ValueAt(a)}";
            }
        }

        return null;
    }

    private static string Describe(Signal s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Kind} {s.Urn} t={s.TimeUnixNano} trace={s.TraceId} span={s.SpanId:x16} corr={s.CorrelationId} name={s.Name} value={s.Value:R} {s.Status}/{s.StatusCode}");

    private static string Describe(SignalAttributes attributes)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < attributes.Count; i++)
        {
            sb.Append(attributes.KeyAt(i)).Append('=').Append(attributes.ValueAt(i)).Append(';');
        }

        return sb.ToString();
    }

    private static readonly Signal Sentinel = new(SignalKind.Change, "urn:autopilot:service:test:sentinel", 0, TraceId.Empty, 0, null, "sentinel", 0, SignalStatus.Unset, 0, SignalAttributes.Empty);

    /// <summary>What one decoder made of a payload: its result and signals, or the error message.</summary>
    public sealed record Outcome(OtlpNormalizeResult Result, List<Signal> Signals, string? Error);
}
