using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// One signal's attributes while the wire decoder reads them: keys and values in arrays reused across the items
/// of a request, the well-known ones noted in <see cref="Facts"/>. <see cref="Build"/> allocates the value array
/// and shares the key array through <see cref="KeyArrayCache"/>. It also remembers, by attribute position, the last keys
/// and values seen there (<see cref="RecallKey"/>, <see cref="RecallValue"/>).
/// </summary>
internal sealed class WireAttributeBuilder(KeyArrayCache keyArrays)
{
    /// <summary>Attribute positions remembered; later attributes are looked up as usual.</summary>
    private const int RememberedPositions = 32;

    /// <summary>Values remembered per position: the last few distinct ones (methods, status codes, user agents alternate).</summary>
    private const int Ways = 4;

    /// <summary>Longer string values are not remembered (few repeat, and copying them costs more than looking them up).</summary>
    private const int MaxRememberedBytes = 256;

    // Items of one request mostly carry the same keys in the same order, and many carry one of a few values at a position
    // (scheme, port, host, flags, method, status): comparing the bytes with the values seen at the same position finds the
    // key, or the value's string, with a memory comparison in memory this request alone touches, instead of a hash, a
    // shared table's slot and a UTF-8-to-UTF-16 comparison with a string somewhere in the heap. Equal bytes decode to an
    // equal string, so what is recalled is exactly what a lookup would give.
    private readonly AttributeKey?[] _previousKeys = new AttributeKey?[RememberedPositions * 2];
    private readonly PreviousValue[] _previousValues = new PreviousValue[RememberedPositions * Ways];
    private readonly byte[] _nextWay = new byte[RememberedPositions];
    private string[] _keys = new string[32];
    private string[] _values = new string[32];
    private int _count;

    public AttributeFacts Facts;

    /// <summary>
    /// The request's random state for sampling values (<see cref="AttributeKey.Value"/>); the same seed for every request,
    /// so a payload decodes the same way every time.
    /// </summary>
    public uint Sampler = 0x9E3779B9u;

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

    /// <summary>
    /// A key remembered at the next attribute's position (the last two distinct ones: items of two shapes, such as HTTP
    /// and database spans, interleave) when its bytes are <paramref name="utf8"/>; else null.
    /// </summary>
    public AttributeKey? RecallKey(ReadOnlySpan<byte> utf8)
    {
        if (_count >= RememberedPositions)
        {
            return null;
        }

        var at = _count * 2;
        return _previousKeys[at] is { } key && utf8.SequenceEqual(key.Utf8) ? key
            : _previousKeys[at + 1] is { } older && utf8.SequenceEqual(older.Utf8) ? older
            : null;
    }

    /// <summary>Remembers <paramref name="key"/> at the next attribute's position, the older of the two it held forgotten; returns it.</summary>
    public AttributeKey RememberKey(AttributeKey key)
    {
        if (_count < RememberedPositions)
        {
            var at = _count * 2;
            _previousKeys[at + 1] = _previousKeys[at];
            _previousKeys[at] = key;
        }

        return key;
    }

    /// <summary>
    /// The string a value remembered at the next attribute's position rendered to, when <paramref name="value"/> is the
    /// same string bytes, integer or double; else null. <paramref name="clean"/>: whether it was found clean by the
    /// redactor's value rules then (equal text, equal answer).
    /// </summary>
    public string? RecallValue(ref WireValue value, out bool clean)
    {
        clean = false;
        if (_count >= RememberedPositions)
        {
            return null;
        }

        var ways = _previousValues.AsSpan(_count * Ways, Ways);
        for (var way = 0; way < ways.Length; way++)
        {
            ref var previous = ref ways[way];
            if (previous.Text is null)
            {
                // Ways fill in order: nothing is remembered past an empty one.
                return null;
            }

            if (previous.Case != value.Case)
            {
                continue;
            }

            var same = value.Case switch
            {
                WireValueCase.String => value.Bytes.SequenceEqual(previous.Bytes.AsSpan(0, previous.Length)),
                WireValueCase.Int or WireValueCase.Double => previous.Bits == value.Bits,
                _ => false,
            };
            if (same)
            {
                clean = previous.Clean;
                return previous.Text;
            }
        }

        return null;
    }

    /// <summary>
    /// Remembers what <paramref name="value"/> rendered to at the next attribute's position, and whether the redactor's
    /// value rules leave it as it is (<paramref name="clean"/>), in place of the position's oldest remembered value. Strings
    /// longer than <see cref="MaxRememberedBytes"/>, booleans, bytes, arrays and maps are not remembered.
    /// </summary>
    public void RememberValue(ref WireValue value, string text, bool clean)
    {
        if (_count >= RememberedPositions)
        {
            return;
        }

        var isString = value.Case == WireValueCase.String;
        if (!(isString ? value.Bytes.Length <= MaxRememberedBytes : value.Case is WireValueCase.Int or WireValueCase.Double))
        {
            return;
        }

        var way = _nextWay[_count];
        _nextWay[_count] = (byte)((way + 1) & (Ways - 1));
        ref var previous = ref _previousValues[(_count * Ways) + way];
        if (isString)
        {
            if (previous.Bytes is null || previous.Bytes.Length < value.Bytes.Length)
            {
                previous.Bytes = new byte[Math.Max(64, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)value.Bytes.Length))];
            }

            value.Bytes.CopyTo(previous.Bytes);
            previous.Length = value.Bytes.Length;
        }
        else
        {
            previous.Bits = value.Bits;
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
