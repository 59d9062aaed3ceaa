using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Signals;
using Google.Protobuf.Collections;

namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// Collects one signal's attributes (interned keys, rendered values) in lists reused across the items of
/// one request, and notes the attributes the normalizer needs for URNs, status codes and correlation while
/// it copies them, so each attribute is looked at once.
/// </summary>
internal sealed class AttributeBuilder
{
    private readonly List<string> _keys = new(16);
    private readonly List<string> _values = new(16);
    private readonly StringInterner _interner;

    public AttributeBuilder(StringInterner interner) => _interner = interner;

    public AttributeFacts Facts;

    /// <summary>Whether redaction changed the signal being built (see <see cref="RedactAll"/>).</summary>
    public bool Redacted;

    public void Reset()
    {
        _keys.Clear();
        _values.Clear();
        Facts = default;
        Redacted = false;
    }

    /// <summary>
    /// Applies <paramref name="redactor"/> to every attribute added so far, as <see cref="Redactor.Redact(SignalAttributes)"/>
    /// would (key rules replace a value whole, value rules what they match); true when a value changed. Facts keep the
    /// values as sent, as the wire reader's do.
    /// </summary>
    public bool RedactAll(Redactor redactor)
    {
        var changed = false;
        for (var i = 0; i < _values.Count; i++)
        {
            var value = _values[i];
            var redacted = redactor.RedactAttribute(_keys[i], value);
            if (!ReferenceEquals(redacted, value))
            {
                _values[i] = redacted;
                changed = true;
            }
        }

        return changed;
    }

    public void Add(string internedKey, string value)
    {
        _keys.Add(internedKey);
        _values.Add(value);
    }

    /// <summary>Copies OTLP attributes, noting the well-known ones in <see cref="Facts"/>.</summary>
    public void AddAll(RepeatedField<KeyValue> attributes)
    {
        for (var i = 0; i < attributes.Count; i++)
        {
            var kv = attributes[i];
            var key = _interner.Intern(kv.Key);
            var value = _interner.Intern(AnyValueText.Render(kv.Value));
            _keys.Add(key);
            _values.Add(value);
            Facts.Note(WellKnownAttributes.Classify(key), value, AttributeNumber.From(kv.Value));
        }
    }

    public SignalAttributes Build() =>
        _keys.Count == 0 ? SignalAttributes.Empty : new SignalAttributes(_keys.ToArray(), _values.ToArray());
}
