using System.Buffers.Binary;
using System.Text;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// The write-ahead-log form of a request that redaction changed (<see cref="PayloadFormat.Signals"/>): its
/// canonical signals, already redacted, instead of the raw body, so no secret reaches the disk. Only such
/// requests pay for it; clean requests keep their raw body. Layout: version byte, varint count, then per
/// signal kind, URN, time, trace id, span id, correlation id (nullable), name, value, status, status code and
/// the attributes; strings are varint length + UTF-8.
/// </summary>
internal static class SignalRecordCodec
{
    private const byte Version = 1;

    /// <summary>The longest varint of a string's length (an int).</summary>
    private const int MaxStringPrefix = 5;

    /// <summary>The format byte followed by the encoded signals, as one log record (a copy of <see cref="Encode"/>'s output).</summary>
    public static byte[] EncodeRecord(List<Signal> signals)
    {
        using var buffer = Encode(signals, 256 + (signals.Count * 128));
        var record = new byte[buffer.Length + 1];
        record[0] = (byte)PayloadFormat.Signals;
        buffer.Span.CopyTo(record.AsSpan(1));
        return record;
    }

    /// <summary>
    /// The encoded signals (what follows the format byte) in a pooled buffer the log can write as it is:
    /// <c>FrameRecord(PayloadFormat.Signals)</c> gives the same record as <see cref="EncodeRecord"/> without copying it.
    /// A request of a thousand spans encodes to about a megabyte, so building it in fresh, doubling arrays and copying
    /// it into the log cost ~2 MB of large-object-heap allocation per redacted request. The caller disposes the buffer.
    /// </summary>
    /// <param name="signals">The request's signals, already redacted.</param>
    /// <param name="sizeHint">Expected size (it grows as needed); the request body's length is a good guess.</param>
    public static RequestBuffer Encode(List<Signal> signals, int sizeHint)
    {
        var buffer = RequestBuffer.Rent(sizeHint);
        try
        {
            Write(signals, new Writer(buffer));
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static void Write(List<Signal> signals, Writer w)
    {
        w.Byte(Version);
        w.VarInt((ulong)signals.Count);
        foreach (var s in signals)
        {
            w.Byte((byte)s.Kind);
            w.String(s.Urn);
            w.Int64(s.TimeUnixNano);
            w.Int64((long)s.TraceId.High);
            w.Int64((long)s.TraceId.Low);
            w.Int64((long)s.SpanId);
            w.NullableString(s.CorrelationId);
            w.String(s.Name);
            w.Int64(BitConverter.DoubleToInt64Bits(s.Value));
            w.Byte((byte)s.Status);
            w.Int64(s.StatusCode);
            w.VarInt((ulong)s.Attributes.Count);
            for (var i = 0; i < s.Attributes.Count; i++)
            {
                w.String(s.Attributes.KeyAt(i));
                w.String(s.Attributes.ValueAt(i));
            }
        }
    }

    /// <summary>Decodes what <see cref="EncodeRecord"/> wrote (after the format byte) into <paramref name="into"/>.</summary>
    /// <exception cref="InvalidRequestException">The bytes are not such a record.</exception>
    public static void Decode(ReadOnlySpan<byte> body, List<Signal> into)
    {
        var r = new Reader(body);
        if (r.Byte() != Version)
        {
            throw new InvalidRequestException("unknown version of a redacted-signals log record");
        }

        var count = r.VarInt();
        for (ulong n = 0; n < count; n++)
        {
            var kind = (SignalKind)r.Byte();
            var urn = r.String();
            var time = r.Int64();
            var trace = new TraceId((ulong)r.Int64(), (ulong)r.Int64());
            var span = (ulong)r.Int64();
            var correlation = r.NullableString();
            var name = r.String();
            var value = BitConverter.Int64BitsToDouble(r.Int64());
            var status = (SignalStatus)r.Byte();
            var code = (int)r.Int64();
            var attributeCount = (int)Math.Min(r.VarInt(), (ulong)body.Length);
            SignalAttributes attributes = SignalAttributes.Empty;
            if (attributeCount > 0)
            {
                var keys = new string[attributeCount];
                var values = new string[attributeCount];
                for (var i = 0; i < attributeCount; i++)
                {
                    keys[i] = r.String();
                    values[i] = r.String();
                }

                attributes = new SignalAttributes(keys, values);
            }

            into.Add(new Signal(kind, urn, time, trace, span, correlation, name, value, status, code, attributes));
        }
    }

    private readonly ref struct Writer(RequestBuffer buffer)
    {
        public void Byte(byte b)
        {
            buffer.GetSpan(1)[0] = b;
            buffer.Advance(1);
        }

        public void VarInt(ulong v)
        {
            var span = buffer.GetSpan(10);
            var i = 0;
            while (v >= 0x80)
            {
                span[i++] = (byte)(v | 0x80);
                v >>= 7;
            }

            span[i++] = (byte)v;
            buffer.Advance(i);
        }

        public void Int64(long v)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), v);
            buffer.Advance(8);
        }

        public void String(string s)
        {
            // One pass over the string instead of a byte count and then the bytes: the length prefix is the varint of the
            // UTF-8 length, which for ASCII (nearly every name and value) is the char count, so its size is known up front.
            // Encode behind a prefix of that size; only when non-ASCII text changes the prefix's size move the bytes.
            var guess = VarIntSize((uint)s.Length);
            var span = buffer.GetSpan(MaxStringPrefix + Encoding.UTF8.GetMaxByteCount(s.Length));
            var bytes = Encoding.UTF8.GetBytes(s, span[guess..]);
            var size = VarIntSize((uint)bytes);
            if (size != guess)
            {
                span.Slice(guess, bytes).CopyTo(span[size..]);
            }

            var v = (uint)bytes;
            var i = 0;
            while (v >= 0x80)
            {
                span[i++] = (byte)(v | 0x80);
                v >>= 7;
            }

            span[i] = (byte)v;
            buffer.Advance(size + bytes);
        }

        private static int VarIntSize(uint v) => v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;

        public void NullableString(string? s)
        {
            Byte(s is null ? (byte)0 : (byte)1);
            if (s is not null)
            {
                String(s);
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> body)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private int _at;

        public byte Byte()
        {
            Need(1);
            return _body[_at++];
        }

        public ulong VarInt()
        {
            ulong v = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                v |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return v;
                }
            }

            throw new InvalidRequestException("malformed varint in a redacted-signals log record");
        }

        public long Int64()
        {
            Need(8);
            var v = BinaryPrimitives.ReadInt64LittleEndian(_body[_at..]);
            _at += 8;
            return v;
        }

        public string String()
        {
            var length = VarInt();
            if (length > (ulong)(_body.Length - _at))
            {
                throw new InvalidRequestException("truncated redacted-signals log record");
            }

            var s = Encoding.UTF8.GetString(_body.Slice(_at, (int)length));
            _at += (int)length;
            return s;
        }

        public string? NullableString() => Byte() == 0 ? null : String();

        private readonly void Need(int bytes)
        {
            if (_body.Length - _at < bytes)
            {
                throw new InvalidRequestException("truncated redacted-signals log record");
            }
        }
    }
}
