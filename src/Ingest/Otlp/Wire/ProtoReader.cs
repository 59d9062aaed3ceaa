using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// A forward-only reader over the bytes of one protobuf message (proto3 wire format), with the acceptance
/// rules of Google.Protobuf's parser so both refuse exactly the same inputs: varints of at most 10 bytes,
/// 32-bit fields (tags, lengths, enums) taken from the low 32 bits, field number 0 invalid, wire types 6 and
/// 7 invalid, an end-group tag outside a group invalid, lengths checked against the enclosing message before
/// anything is sliced, and messages and groups nested at most <see cref="RecursionLimit"/> deep.
/// Nothing is allocated: strings and bytes come back as slices of the request.
/// </summary>
internal ref struct ProtoReader
{
    /// <summary>Google.Protobuf's default recursion limit: the top-level message is level 0.</summary>
    public const int RecursionLimit = 100;

    public const int WireVarint = 0;
    public const int WireFixed64 = 1;
    public const int WireLengthDelimited = 2;
    public const int WireStartGroup = 3;
    public const int WireEndGroup = 4;
    public const int WireFixed32 = 5;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _origin;
    private int _position;

    /// <param name="data">The message's bytes (without its length prefix).</param>
    /// <param name="origin">Offset of <paramref name="data"/> in the whole request, for error messages.</param>
    public ProtoReader(ReadOnlySpan<byte> data, int origin)
    {
        _data = data;
        _origin = origin;
        _position = 0;
    }

    /// <summary>All bytes of the message this reader walks.</summary>
    public readonly ReadOnlySpan<byte> Data => _data;

    /// <summary>Offset of the next byte in the whole request.</summary>
    public readonly int Offset => _origin + _position;

    /// <summary>
    /// The next field's tag, or 0 at the end of the message. Throws for field number 0, for an end-group tag
    /// (a known message never contains one outside a group) and for wire types 6 and 7.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadTag()
    {
        var position = _position;
        if ((uint)position >= (uint)_data.Length)
        {
            return 0;
        }

        uint tag = _data[position];
        if (tag >= 0x80 || tag < 8)
        {
            return ReadTagSlow();
        }

        _position = position + 1;
        return CheckTag(tag);
    }

    /// <summary>A varint (at most 10 bytes); the low 64 bits of its value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        var position = _position;
        if ((uint)position < (uint)_data.Length)
        {
            var b = _data[position];
            if (b < 0x80)
            {
                _position = position + 1;
                return b;
            }
        }

        return ReadVarintSlow();
    }

    /// <summary>A fixed64 field's value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadFixed64()
    {
        var position = _position;
        if (position > _data.Length - 8)
        {
            ThrowTruncated("a fixed64 value", 8);
        }

        _position = position + 8;
        return BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(position, 8));
    }

    /// <summary>A fixed32 field's value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadFixed32()
    {
        var position = _position;
        if (position > _data.Length - 4)
        {
            ThrowTruncated("a fixed32 value", 4);
        }

        _position = position + 4;
        return BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(position, 4));
    }

    /// <summary>The payload of a length-delimited field (string, bytes or message), as a slice of the request.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadLength();
        var position = _position;
        _position = position + length;
        return _data.Slice(position, length);
    }

    /// <summary>
    /// A length-delimited field holding a message nested one level below one at <paramref name="depth"/>:
    /// a reader over its bytes. Throws past <see cref="RecursionLimit"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ProtoReader ReadMessage(int depth)
    {
        var length = ReadLength();
        if (depth >= RecursionLimit)
        {
            ThrowTooDeep();
        }

        var position = _position;
        _position = position + length;
        return new ProtoReader(_data.Slice(position, length), _origin + position);
    }

    /// <summary>
    /// Skips the value of a field this reader's caller does not use (or whose wire type does not match the
    /// schema, which Google.Protobuf also keeps as an unknown field). Groups are walked to their end tag.
    /// </summary>
    /// <param name="tag">The tag <see cref="ReadTag"/> returned.</param>
    /// <param name="depth">Nesting level of the message being read (the top-level request is 0).</param>
    public void SkipField(uint tag, int depth)
    {
        switch ((int)(tag & 7))
        {
            case WireVarint:
                ReadVarint();
                break;
            case WireFixed64:
                ReadFixed64();
                break;
            case WireLengthDelimited:
                var length = ReadLength();
                _position += length;
                break;
            case WireStartGroup:
                SkipGroup(tag >> 3, depth);
                break;
            case WireFixed32:
                ReadFixed32();
                break;
            default:
                // ReadTag refuses end-group tags and wire types 6 and 7 already.
                throw new WireFormatException($"field {tag >> 3} has invalid wire type {tag & 7}", Offset);
        }
    }

    /// <summary>Walks a message this reader's caller does not interpret, so that it is validated like any other.</summary>
    public void SkipMessage(int depth)
    {
        uint tag;
        while ((tag = ReadTag()) != 0)
        {
            SkipField(tag, depth);
        }
    }

    private int ReadLength()
    {
        var start = _position;
        var length = (int)(uint)ReadVarint();
        if (length < 0)
        {
            throw new WireFormatException($"length-delimited field claims a negative length ({length})", _origin + start);
        }

        if (length > _data.Length - _position)
        {
            throw new WireFormatException(
                $"length-delimited field claims {length} bytes but only {_data.Length - _position} remain in its message",
                _origin + start);
        }

        return length;
    }

    private void SkipGroup(uint fieldNumber, int depth)
    {
        // As Google.Protobuf does for unknown groups: the group counts as one more level of nesting.
        if (depth >= RecursionLimit)
        {
            ThrowTooDeep();
        }

        var start = Offset;
        while (true)
        {
            if (_position >= _data.Length)
            {
                throw new WireFormatException($"group (field {fieldNumber}) has no end-group tag before the end of its message", start);
            }

            var tag = ReadRawTag();
            if ((tag & 7) == WireEndGroup)
            {
                if (tag >> 3 != fieldNumber)
                {
                    throw new WireFormatException($"group (field {fieldNumber}) ends with the end-group tag of field {tag >> 3}", Offset);
                }

                return;
            }

            SkipField(tag, depth + 1);
        }
    }

    // Tag with the checks every tag gets (field number 0, wire types 6 and 7), but end-group tags allowed.
    private uint ReadRawTag()
    {
        var start = _position;
        var tag = (uint)ReadVarint();
        if (tag >> 3 == 0)
        {
            throw new WireFormatException($"invalid tag {tag} (field number 0)", _origin + start);
        }

        if ((tag & 7) > WireFixed32)
        {
            throw new WireFormatException($"field {tag >> 3} has invalid wire type {tag & 7}", _origin + start);
        }

        return tag;
    }

    private uint ReadTagSlow()
    {
        var start = _position;
        var tag = ReadRawTag();
        if ((tag & 7) == WireEndGroup)
        {
            throw new WireFormatException($"end-group tag of field {tag >> 3} without a group to end", _origin + start);
        }

        return tag;
    }

    private readonly uint CheckTag(uint tag)
    {
        var wire = tag & 7;
        if (wire == WireEndGroup || wire > WireFixed32)
        {
            ThrowBadTag(tag);
        }

        return tag;
    }

    private ulong ReadVarintSlow()
    {
        var start = _position;
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new WireFormatException("varint runs past the end of its message", _origin + start);
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new WireFormatException("malformed varint (longer than 10 bytes)", _origin + start);
    }

    private readonly void ThrowBadTag(uint tag)
    {
        var wire = tag & 7;
        throw new WireFormatException(
            wire == WireEndGroup ? $"end-group tag of field {tag >> 3} without a group to end" : $"field {tag >> 3} has invalid wire type {wire}",
            Offset - 1);
    }

    private readonly void ThrowTruncated(string what, int size) =>
        throw new WireFormatException($"{what} needs {size} bytes but only {_data.Length - _position} remain in its message", Offset);

    private readonly void ThrowTooDeep() =>
        throw new WireFormatException($"messages are nested deeper than the recursion limit of {RecursionLimit} levels", Offset);
}
