using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace Autopilot.Ingest.Otlp.Json;

/// <summary>
/// Walks one OTLP/JSON document: tracks the JSON path (only to name it in errors, so the happy path
/// builds no strings), bounds AnyValue nesting, and reads proto3 JSON scalars in both dialects
/// (64-bit integers as numbers or strings, doubles possibly quoted, ids as hex or base64).
/// Every problem becomes an <see cref="OtlpFormatException"/> that starts with the path.
/// </summary>
internal sealed class JsonCursor
{
    /// <summary>
    /// AnyValue nesting limit. 30 keeps every request accepted here re-parseable from binary protobuf under
    /// Google.Protobuf's default recursion limit of 100: each level costs 3 messages (AnyValue, KeyValueList,
    /// KeyValue), and the deepest container (an exemplar's filtered attributes) starts 5 messages down.
    /// </summary>
    public const int MaxAnyValueDepth = 30;

    private const int MaxQuotedValue = 64;

    private readonly List<string?> _names = new(16);
    private readonly List<int> _indices = new(16);
    private string _prefix = string.Empty;

    public int AnyValueDepth { get; set; }

    /// <summary>Starts a new document; <paramref name="prefix"/> (e.g. "line 3: ") leads every error message.</summary>
    public void Reset(string prefix)
    {
        _names.Clear();
        _indices.Clear();
        AnyValueDepth = 0;
        _prefix = prefix;
    }

    public string Prefix => _prefix;

    public void PushProperty(string name)
    {
        _names.Add(name);
        _indices.Add(-1);
    }

    public void PushIndex(int index)
    {
        _names.Add(null);
        _indices.Add(index);
    }

    public void Pop()
    {
        _names.RemoveAt(_names.Count - 1);
        _indices.RemoveAt(_indices.Count - 1);
    }

    public string Path
    {
        get
        {
            var sb = new StringBuilder();
            for (var i = 0; i < _names.Count; i++)
            {
                if (_names[i] is { } name)
                {
                    if (sb.Length > 0)
                    {
                        sb.Append('.');
                    }

                    sb.Append(name);
                }
                else
                {
                    sb.Append('[').Append(_indices[i].ToString(CultureInfo.InvariantCulture)).Append(']');
                }
            }

            return sb.Length == 0 ? "$" : sb.ToString();
        }
    }

    public OtlpFormatException Error(string problem) => new(_prefix + Path + ": " + problem);

    // ---- structure ------------------------------------------------------------------------------

    /// <summary>The current token must open an object.</summary>
    public void ExpectObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error($"expected an object, found {Describe(ref reader)}");
        }
    }

    /// <summary>The current token must open an array.</summary>
    public void ExpectArray(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error($"expected an array, found {Describe(ref reader)}");
        }
    }

    /// <summary>Advances to the next property name of the current object; false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    /// <summary>
    /// Moves from a property name to its value. Unknown fields (<paramref name="field"/> null) are skipped
    /// and JSON null means "default" in proto3 JSON, so both return false; otherwise the field is pushed
    /// on the path and the caller must <see cref="Pop"/> after reading it.
    /// </summary>
    public bool EnterValue(ref Utf8JsonReader reader, string? field)
    {
        reader.Read();
        if (field is null)
        {
            reader.Skip();
            return false;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        PushProperty(field);
        return true;
    }

    /// <summary>Advances to the next element of the current array (pushing its index); false at its end.</summary>
    public bool NextElement(ref Utf8JsonReader reader, int index)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            return false;
        }

        PushIndex(index);
        return true;
    }

    // ---- scalars --------------------------------------------------------------------------------

    public string ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error($"expected a string, found {Describe(ref reader)}");
        }

        return reader.GetString()!;
    }

    public bool ReadBool(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Error($"expected true or false, found {Describe(ref reader)}"),
    };

    public ulong ReadUInt64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var n))
        {
            return n;
        }

        if (reader.TokenType == JsonTokenType.String && ulong.TryParse(Utf8(ref reader), NumberStyles.None, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw Error($"{Describe(ref reader)} is not an unsigned 64-bit integer");
    }

    public long ReadInt64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n))
        {
            return n;
        }

        if (reader.TokenType == JsonTokenType.String && long.TryParse(Utf8(ref reader), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw Error($"{Describe(ref reader)} is not a 64-bit integer");
    }

    public uint ReadUInt32(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetUInt32(out var n))
        {
            return n;
        }

        if (reader.TokenType == JsonTokenType.String && uint.TryParse(Utf8(ref reader), NumberStyles.None, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw Error($"{Describe(ref reader)} is not an unsigned 32-bit integer");
    }

    public int ReadInt32(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n))
        {
            return n;
        }

        if (reader.TokenType == JsonTokenType.String && int.TryParse(Utf8(ref reader), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw Error($"{Describe(ref reader)} is not a 32-bit integer");
    }

    /// <summary>A number, or a string holding one (including "NaN", "Infinity", "-Infinity").</summary>
    public double ReadDouble(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var d))
        {
            return d;
        }

        if (reader.TokenType == JsonTokenType.String
            && double.TryParse(Utf8(ref reader), NumberStyles.Float, CultureInfo.InvariantCulture, out d))
        {
            return d;
        }

        throw Error($"{Describe(ref reader)} is not a number");
    }

    /// <summary>proto3 JSON bytes: standard or URL-safe base64, padding optional.</summary>
    public ByteString ReadBytes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error($"expected a base64 string, found {Describe(ref reader)}");
        }

        var text = Utf8(ref reader);
        if (text.IsEmpty)
        {
            return ByteString.Empty;
        }

        // The output is smaller than the input, which is already in memory: sized by bytes present, not by a claim.
        var rented = ArrayPool<byte>.Shared.Rent(text.Length + 3);
        try
        {
            if (!TryDecodeBase64(text, rented, out var written))
            {
                throw Error($"{Describe(ref reader)} is not valid base64");
            }

            return ByteString.CopyFrom(rented, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// A trace id (16 bytes) or span id (8 bytes): OTLP/JSON writes hex, plain proto3 JSON writes base64.
    /// The lengths never overlap (32 vs 24 characters, 16 vs 12), so the form is unambiguous. The empty
    /// string is an absent id.
    /// </summary>
    public ByteString ReadId(ref Utf8JsonReader reader, int size)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error($"expected a hex or base64 id string, found {Describe(ref reader)}");
        }

        var text = Utf8(ref reader);
        if (text.IsEmpty)
        {
            return ByteString.Empty;
        }

        Span<byte> id = stackalloc byte[32];
        if (text.Length == size * 2 && TryDecodeHex(text, id[..size]))
        {
            return ByteString.CopyFrom(id[..size]);
        }

        if (text.Length <= 28 && TryDecodeBase64(text, id, out var written) && written == size)
        {
            return ByteString.CopyFrom(id[..size]);
        }

        throw Error($"{Describe(ref reader)} is neither {size * 2} hex digits nor base64 of {size} bytes");
    }

    /// <summary>A quoted, length-capped rendering of the current token for error messages.</summary>
    public static string Describe(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var s = reader.GetString() ?? string.Empty;
                return "\"" + (s.Length > MaxQuotedValue ? s[..MaxQuotedValue] + "…" : s) + "\"";
            case JsonTokenType.Number:
                var raw = Encoding.UTF8.GetString(reader.ValueSpan.Length > MaxQuotedValue ? reader.ValueSpan[..MaxQuotedValue] : reader.ValueSpan);
                return raw;
            case JsonTokenType.StartObject:
                return "an object";
            case JsonTokenType.StartArray:
                return "an array";
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.Null:
                return "null";
            default:
                return reader.TokenType.ToString();
        }
    }

    /// <summary>The UTF-8 text of a string token, unescaped (escaped strings are rare and may allocate).</summary>
    private static ReadOnlySpan<byte> Utf8(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;

    private static bool TryDecodeHex(ReadOnlySpan<byte> hex, Span<byte> output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            var hi = HexValue(hex[2 * i]);
            var lo = HexValue(hex[(2 * i) + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            output[i] = (byte)((hi << 4) | lo);
        }

        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Standard or URL-safe alphabet, with or without padding. <paramref name="output"/> must hold text.Length + 3 bytes.</summary>
    private static bool TryDecodeBase64(ReadOnlySpan<byte> text, Span<byte> output, out int written)
    {
        written = 0;
        var remainder = text.Length % 4;
        if (remainder == 1)
        {
            return false;
        }

        var padded = text.Length + (remainder == 0 ? 0 : 4 - remainder);
        if (padded > output.Length)
        {
            return false;
        }

        // Normalize into the output buffer, then decode in place (Base64 supports that and never writes ahead of reading).
        var normal = output[..padded];
        for (var i = 0; i < text.Length; i++)
        {
            normal[i] = text[i] switch
            {
                (byte)'-' => (byte)'+',
                (byte)'_' => (byte)'/',
                var b => b,
            };
        }

        normal[text.Length..].Fill((byte)'=');
        return Base64.DecodeFromUtf8InPlace(normal, out written) == OperationStatus.Done;
    }
}
