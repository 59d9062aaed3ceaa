using Autopilot.Ingest.Otlp.Proto.Common.V1;
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

    public void Reset()
    {
        _keys.Clear();
        _values.Clear();
        Facts = default;
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
