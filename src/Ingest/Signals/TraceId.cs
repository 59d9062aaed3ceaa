using System.Buffers.Binary;
using System.Globalization;

namespace Autopilot.Ingest.Signals;

/// <summary>A 16-byte W3C trace id held as two big-endian halves, so it needs no allocation.</summary>
public readonly record struct TraceId(ulong High, ulong Low)
{
    public static readonly TraceId Empty;

    public bool IsEmpty => High == 0 && Low == 0;

    /// <summary>Reads 16 bytes; returns false for any other length.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out TraceId id)
    {
        if (bytes.Length != 16)
        {
            id = Empty;
            return false;
        }

        id = new TraceId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        return true;
    }

    /// <summary>32 lower-case hex characters, the W3C form.</summary>
    public override string ToString() =>
        High.ToString("x16", CultureInfo.InvariantCulture) + Low.ToString("x16", CultureInfo.InvariantCulture);
}
