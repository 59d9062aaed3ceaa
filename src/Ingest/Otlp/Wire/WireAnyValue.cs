namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// Reads and validates AnyValue, ArrayValue, KeyValueList and KeyValue messages on the wire (common.proto) as
/// Google.Protobuf would parse them: every known nested message is walked to its end, so a malformed value deep
/// in an array fails the request exactly as it did before; unknown fields and fields with an unexpected wire type
/// are skipped as unknown fields.
/// </summary>
internal static class WireAnyValue
{
    private const uint StringValueTag = (1 << 3) | ProtoReader.WireLengthDelimited;
    private const uint BoolValueTag = (2 << 3) | ProtoReader.WireVarint;
    private const uint IntValueTag = (3 << 3) | ProtoReader.WireVarint;
    private const uint DoubleValueTag = (4 << 3) | ProtoReader.WireFixed64;
    private const uint ArrayValueTag = (5 << 3) | ProtoReader.WireLengthDelimited;
    private const uint KvlistValueTag = (6 << 3) | ProtoReader.WireLengthDelimited;
    private const uint BytesValueTag = (7 << 3) | ProtoReader.WireLengthDelimited;

    /// <summary>KeyValue.key, ArrayValue.values and KeyValueList.values are all field 1.</summary>
    public const uint Field1Tag = (1 << 3) | ProtoReader.WireLengthDelimited;

    /// <summary>KeyValue.value.</summary>
    public const uint ValueTag = (2 << 3) | ProtoReader.WireLengthDelimited;

    /// <summary>Reads one occurrence of an AnyValue (at nesting level <paramref name="depth"/>) into <paramref name="value"/>.</summary>
    public static void Read(ref ProtoReader reader, int depth, ref WireValue value)
    {
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            switch (tag)
            {
                case StringValueTag:
                    value.Case = WireValueCase.String;
                    value.Bytes = reader.ReadBytes();
                    break;
                case BoolValueTag:
                    value.Case = WireValueCase.Bool;
                    value.Bits = reader.ReadVarint();
                    break;
                case IntValueTag:
                    value.Case = WireValueCase.Int;
                    value.Bits = reader.ReadVarint();
                    break;
                case DoubleValueTag:
                    value.Case = WireValueCase.Double;
                    value.Bits = reader.ReadFixed64();
                    break;
                case ArrayValueTag:
                    var array = reader.ReadMessage(depth);
                    ValidateList(ref array, depth + 1, keyValues: false);
                    value.Case = WireValueCase.Array;
                    break;
                case KvlistValueTag:
                    var list = reader.ReadMessage(depth);
                    ValidateList(ref list, depth + 1, keyValues: true);
                    value.Case = WireValueCase.KeyValueList;
                    break;
                case BytesValueTag:
                    value.Case = WireValueCase.Bytes;
                    value.Bytes = reader.ReadBytes();
                    break;
                default:
                    reader.SkipField(tag, depth);
                    break;
            }
        }
    }

    /// <summary>Validates an AnyValue at nesting level <paramref name="depth"/> without keeping it.</summary>
    public static void Validate(ref ProtoReader reader, int depth)
    {
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag is ArrayValueTag or KvlistValueTag)
            {
                var list = reader.ReadMessage(depth);
                ValidateList(ref list, depth + 1, keyValues: tag == KvlistValueTag);
            }
            else
            {
                reader.SkipField(tag, depth);
            }
        }
    }

    /// <summary>Validates a KeyValue at nesting level <paramref name="depth"/> (attributes nobody reads: events, links, scopes).</summary>
    public static void ValidateKeyValue(ref ProtoReader reader, int depth)
    {
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == ValueTag)
            {
                var value = reader.ReadMessage(depth);
                Validate(ref value, depth + 1);
            }
            else
            {
                reader.SkipField(tag, depth);
            }
        }
    }

    // ArrayValue (repeated AnyValue values = 1) or KeyValueList (repeated KeyValue values = 1).
    private static void ValidateList(ref ProtoReader reader, int depth, bool keyValues)
    {
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == Field1Tag)
            {
                var item = reader.ReadMessage(depth);
                if (keyValues)
                {
                    ValidateKeyValue(ref item, depth + 1);
                }
                else
                {
                    Validate(ref item, depth + 1);
                }
            }
            else
            {
                reader.SkipField(tag, depth);
            }
        }
    }
}
