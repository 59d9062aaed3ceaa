using System.Buffers.Binary;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Signals;
using Autopilot.Ingest.Wal;

namespace Autopilot.Ingest.Tests.Receivers;

public sealed class SignalRecordCodecTests
{
    [Fact]
    public void EncodeRecord_OneSignal_WritesTheDocumentedLayout()
    {
        // The log replays records written by earlier versions: the layout is a wire format, pinned byte by byte.
        var signal = new Signal(SignalKind.Span, "u", 2, new TraceId(3, 4), 5, null, "n", 1.0, SignalStatus.Ok, 200, new SignalAttributes(["k"], ["vé"]));
        var expected = new List<byte> { (byte)PayloadFormat.Signals, 1, 1, (byte)SignalKind.Span, 1, (byte)'u' };
        AddInt64(expected, 2);
        AddInt64(expected, 3);
        AddInt64(expected, 4);
        AddInt64(expected, 5);
        expected.AddRange([0, 1, (byte)'n']);
        AddInt64(expected, BitConverter.DoubleToInt64Bits(1.0));
        expected.Add((byte)SignalStatus.Ok);
        AddInt64(expected, 200);
        expected.AddRange([1, 1, (byte)'k', 3, (byte)'v', 0xC3, 0xA9]);

        Assert.Equal(expected.ToArray(), SignalRecordCodec.EncodeRecord([signal]));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(127, 0)]
    [InlineData(128, 0)]
    [InlineData(100, 20)]
    [InlineData(120, 8)]
    [InlineData(16_383, 0)]
    [InlineData(16_000, 200)]
    [InlineData(10, 6_000)]
    public void EncodeRecord_AsciiAndMultiByteTextAcrossVarIntSizes_LengthPrefixIsTheUtf8Length(int ascii, int twoByteChars)
    {
        // The prefix is sized from the char count before encoding; text whose UTF-8 length needs a longer varint must still
        // get the minimal prefix of its byte length, the bytes right behind it.
        var name = new string('a', ascii) + new string('é', twoByteChars);
        var record = SignalRecordCodec.EncodeRecord([new Signal(SignalKind.Span, "u", 0, TraceId.Empty, 0, null, name, 0, SignalStatus.Unset, 0, SignalAttributes.Empty)]);

        var utf8 = System.Text.Encoding.UTF8.GetBytes(name);
        var prefix = new List<byte>();
        for (var v = (uint)utf8.Length; ; v >>= 7)
        {
            prefix.Add((byte)(v < 0x80 ? v : (v & 0x7F) | 0x80));
            if (v < 0x80)
            {
                break;
            }
        }

        // format, version, count, kind, "u" (2), time, trace (16), span, null correlation id, then the name.
        const int nameAt = 1 + 1 + 1 + 1 + 2 + 8 + 16 + 8 + 1;
        Assert.Equal([.. prefix, .. utf8], record.AsSpan(nameAt, prefix.Count + utf8.Length).ToArray());
        var decoded = new DecodedRequest();
        new SignalDecoder(new IngestOptions(), Redactor.None).Decode(IngestSignal.Traces, PayloadFormat.Signals, record.AsSpan(1), decoded);
        Assert.Equal(name, Assert.Single(decoded.Signals).Name);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(3000, 1)]
    [InlineData(3000, 1_000_000)]
    public void Encode_AnySizeHint_FramesTheSameRecordAsEncodeRecordAndDecodesBack(int count, int sizeHint)
    {
        var signals = new List<Signal>(count);
        for (var i = 0; i < count; i++)
        {
            signals.Add(new Signal(SignalKind.Span, "urn:autopilot:service:prod:shop-" + (i % 7), 1_700_000_000_000_000_000 + i, new TraceId((ulong)i, (ulong)~i), (ulong)i * 31, i % 3 == 0 ? null : "run-" + i,
                "GET /orders/" + i, i * 0.5, SignalStatus.Error, 500 + (i % 4), new SignalAttributes(["http.route", "note"], ["/orders/{id}", new string('x', i % 50) + "ü"])));
        }

        using var buffer = SignalRecordCodec.Encode(signals, sizeHint);
        var record = buffer.FrameRecord((byte)PayloadFormat.Signals);

        var payload = record.Span[RecordFormat.HeaderSize..].ToArray();
        Assert.Equal(SignalRecordCodec.EncodeRecord(signals), payload);
        var decoded = new DecodedRequest();
        new SignalDecoder(new IngestOptions()).Decode(IngestSignal.Traces, PayloadFormat.Signals, payload.AsSpan(1), decoded);
        Assert.Equal(signals, decoded.Signals, (a, b) =>
            (a.Kind, a.Urn, a.TimeUnixNano, a.TraceId, a.SpanId, a.CorrelationId, a.Name, a.Value, a.Status, a.StatusCode, a.Attributes.Count, a.Attributes.Get("note"))
            == (b.Kind, b.Urn, b.TimeUnixNano, b.TraceId, b.SpanId, b.CorrelationId, b.Name, b.Value, b.Status, b.StatusCode, b.Attributes.Count, b.Attributes.Get("note")));
    }

    private static void AddInt64(List<byte> into, long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        into.AddRange(bytes);
    }
}
