namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>Writes protobuf wire format by hand, for inputs Google.Protobuf's writer never produces (merged, reordered, unknown fields).</summary>
internal sealed class RawProto
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public RawProto Tag(int field, int wireType) => Varint(((ulong)(uint)field << 3) | (uint)wireType);

    /// <summary>A varint; with <paramref name="extraBytes"/>, padded with continuation bits on zero groups (valid, non-minimal, as some encoders emit).</summary>
    public RawProto Varint(ulong value, int extraBytes = 0)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        if (extraBytes == 0)
        {
            _bytes.Add((byte)value);
            return this;
        }

        _bytes.Add((byte)(value | 0x80));
        for (var i = 1; i < extraBytes; i++)
        {
            _bytes.Add(0x80);
        }

        _bytes.Add(0);
        return this;
    }

    public RawProto Fixed64(ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            _bytes.Add((byte)(value >> (8 * i)));
        }

        return this;
    }

    public RawProto Fixed32(uint value)
    {
        for (var i = 0; i < 4; i++)
        {
            _bytes.Add((byte)(value >> (8 * i)));
        }

        return this;
    }

    public RawProto Raw(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            _bytes.Add(b);
        }

        return this;
    }

    public RawProto Bytes(int field, ReadOnlySpan<byte> payload) => Tag(field, 2).Varint((ulong)payload.Length).Raw(payload);

    public RawProto String(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

    public RawProto Message(int field, RawProto message) => Bytes(field, message.ToArray());

    public RawProto VarintField(int field, ulong value) => Tag(field, 0).Varint(value);

    public RawProto Fixed64Field(int field, ulong value) => Tag(field, 1).Fixed64(value);
}
