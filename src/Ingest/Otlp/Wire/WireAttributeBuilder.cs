using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// One signal's attributes while the wire decoder reads them: keys and values in arrays reused across the items
/// of a request, the well-known ones noted in <see cref="Facts"/>. <see cref="Build"/> allocates the value array
/// and shares the key array through <see cref="KeyArrayCache"/>. It also remembers, by attribute position, the previous
/// item's key and value (<see cref="RecallKey"/>, <see cref="RecallValue"/>).
/// </summary>
internal sealed class WireAttributeBuilder(KeyArrayCache keyArrays)
{
    /// <summary>Attribute positions remembered; later attributes are looked up as usual.</summary>
    private const int RememberedPositions = 32;

    /// <summary>Longer string values are not remembered (few repeat, and copying them costs more than looking them up).</summary>
    private const int MaxRememberedBytes = 256;

    // Items of one request mostly carry the same keys in the same order, and many carry the same value at a position
    // (scheme, port, host, flags): comparing the bytes with the previous item's at the same position finds the key, or
    // the value's string, with one memory comparison instead of a hash, a table lookup and a UTF-8-to-UTF-16 comparison.
    // Equal bytes decode to an equal string, so what is recalled is exactly what a lookup would give.
    private readonly AttributeKey?[] _previousKeys = new AttributeKey?[RememberedPositions];
    private readonly PreviousValue[] _previousValues = new PreviousValue[RememberedPositions];
    private string[] _keys = new string[32];
    private string[] _values = new string[32];
    private int _count;

    public AttributeFacts Facts;

    /// <summary>Whether redaction replaced a value of the signal being built (or its name).</summary>
    public bool Redacted;

    public int Count => _count;

    public void Reset()
    {
        _count = 0;
        Facts = default;
        Redacted = false;
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

    /// <summary>The previous item's key at the next attribute's position when its bytes are <paramref name="utf8"/>; else null.</summary>
    public AttributeKey? RecallKey(ReadOnlySpan<byte> utf8) =>
        _count < RememberedPositions && _previousKeys[_count] is { } key && utf8.SequenceEqual(key.Utf8) ? key : null;

    /// <summary>Remembers <paramref name="key"/> at the next attribute's position; returns it.</summary>
    public AttributeKey RememberKey(AttributeKey key)
    {
        if (_count < RememberedPositions)
        {
            _previousKeys[_count] = key;
        }

        return key;
    }

    /// <summary>
    /// The string the previous item's value at the next attribute's position rendered to, when <paramref name="value"/> is
    /// the same string bytes, integer or double; else null. <paramref name="clean"/>: whether it was found clean by the
    /// redactor's value rules then (equal text, equal answer).
    /// </summary>
    public string? RecallValue(ref WireValue value, out bool clean)
    {
        clean = false;
        if (_count >= RememberedPositions)
        {
            return null;
        }

        ref var previous = ref _previousValues[_count];
        if (previous.Text is null || previous.Case != value.Case)
        {
            return null;
        }

        var same = value.Case switch
        {
            WireValueCase.String => value.Bytes.SequenceEqual(previous.Bytes.AsSpan(0, previous.Length)),
            WireValueCase.Int or WireValueCase.Double => previous.Bits == value.Bits,
            _ => false,
        };
        if (!same)
        {
            return null;
        }

        clean = previous.Clean;
        return previous.Text;
    }

    /// <summary>
    /// Remembers what <paramref name="value"/> rendered to at the next attribute's position, and whether the redactor's
    /// value rules leave it as it is (<paramref name="clean"/>).
    /// </summary>
    public void RememberValue(ref WireValue value, string text, bool clean)
    {
        if (_count >= RememberedPositions)
        {
            return;
        }

        ref var previous = ref _previousValues[_count];
        switch (value.Case)
        {
            case WireValueCase.String when value.Bytes.Length <= MaxRememberedBytes:
                if (previous.Bytes is null || previous.Bytes.Length < value.Bytes.Length)
                {
                    previous.Bytes = new byte[Math.Max(64, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)value.Bytes.Length))];
                }

                value.Bytes.CopyTo(previous.Bytes);
                previous.Length = value.Bytes.Length;
                break;
            case WireValueCase.Int or WireValueCase.Double:
                previous.Bits = value.Bits;
                break;
            default:
                previous.Text = null;
                return;
        }

        previous.Case = value.Case;
        previous.Text = text;
        previous.Clean = clean;
    }

    public SignalAttributes Build() =>
        _count == 0
            ? SignalAttributes.Empty
            : new SignalAttributes(keyArrays.Get(_keys.AsSpan(0, _count)), _values.AsSpan(0, _count).ToArray());
}
