using System.Buffers.Binary;

namespace Autopilot.Ingest.Wal;

/// <summary>
/// On-disk record framing, little-endian: <c>[u32 payload length][u32 CRC-32C of type byte + payload][u8 type][payload]</c>.
/// The CRC covers the type so a flipped type byte is caught; the length is checked against the file size
/// before anything is allocated for it.
/// </summary>
internal static class RecordFormat
{
    public const int HeaderSize = 9;

    public static uint Checksum(byte type, ReadOnlySpan<byte> payload)
    {
        var crc = Crc32C.Append(~0u, [type]);
        return ~Crc32C.Append(crc, payload);
    }

    /// <summary>Writes header + payload into <paramref name="destination"/>, which must hold <see cref="HeaderSize"/> + payload bytes.</summary>
    public static void Write(Span<byte> destination, byte type, ReadOnlySpan<byte> payload)
    {
        WriteHeader(destination, type, payload);
        payload.CopyTo(destination[HeaderSize..]);
    }

    /// <summary>Writes the <see cref="HeaderSize"/>-byte header of <paramref name="payload"/> into <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, byte type, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Checksum(type, payload));
        destination[8] = type;
    }
}
