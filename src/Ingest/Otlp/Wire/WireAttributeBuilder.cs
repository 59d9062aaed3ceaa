using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// One signal's attributes while the wire decoder reads them: keys and values in arrays reused across the items
/// of a request, the well-known ones noted in <see cref="Facts"/>. <see cref="Build"/> allocates the value array
/// and shares the key array through <see cref="KeyArrayCache"/>.
/// </summary>
internal sealed class WireAttributeBuilder(KeyArrayCache keyArrays)
{
    private string[] _keys = new string[32];
    private string[] _values = new string[32];
    private int _count;

    public AttributeFacts Facts;

    public int Count => _count;

    public void Reset()
    {
        _count = 0;
        Facts = default;
    }

    public void Add(string key, string value)
    {
        if (_count == _keys.Length)
        {
            Array.Resize(ref _keys, _count * 2);
            Array.Resize(ref _values, _count * 2);
        }

        _keys[_count] = key;
        _values[_count] = value;
        _count++;
    }

    public SignalAttributes Build() =>
        _count == 0
            ? SignalAttributes.Empty
            : new SignalAttributes(keyArrays.Get(_keys.AsSpan(0, _count)), _values.AsSpan(0, _count).ToArray());
}
