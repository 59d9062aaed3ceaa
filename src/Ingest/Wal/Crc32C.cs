using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Autopilot.Ingest.Wal;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum iSCSI, ext4 and Kafka use.
/// Hardware instructions (SSE4.2 <c>crc32</c>, ARMv8 <c>crc32c*</c>) compute it at several GB/s; the table is the fallback.
/// On x64, long inputs run three CRCs at once over three consecutive lanes (the instruction's latency is three times its
/// throughput, so one chain leaves it two thirds idle) and join them: the CRC is linear, so the running CRC after lane one,
/// moved past the two lanes after it, XOR the CRC of lane two from zero moved past lane three, XOR that of lane three, is
/// the CRC of all three. Moving a CRC past n zero bytes is a fixed linear map, applied with four tables of 256.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;

    /// <summary>Bytes per lane of the three-lane loop (a multiple of 8).</summary>
    private const int Lane = 1024;

    private static readonly uint[] Table = BuildTable();

    // The linear maps "past Lane zero bytes" and "past 2 × Lane zero bytes", byte by byte of the CRC (4 × 256 entries each).
    private static readonly uint[]? s_pastOneLane = Sse42.X64.IsSupported ? PastZeros(Lane) : null;
    private static readonly uint[]? s_pastTwoLanes = Sse42.X64.IsSupported ? PastZeros(2 * Lane) : null;

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(~0u, data);

    /// <summary>
    /// Continues a running CRC without the final inversion: start with <c>~0u</c>, feed every piece, invert at the end.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            while (data.Length >= 3 * Lane)
            {
                ref var start = ref MemoryMarshal.GetReference(data);
                var first = (ulong)crc;
                ulong second = 0, third = 0;
                for (var i = 0; i < Lane; i += sizeof(ulong))
                {
                    first = Sse42.X64.Crc32(first, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
                    second = Sse42.X64.Crc32(second, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, Lane + i)));
                    third = Sse42.X64.Crc32(third, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, (2 * Lane) + i)));
                }

                crc = Apply(s_pastTwoLanes!, (uint)first) ^ Apply(s_pastOneLane!, (uint)second) ^ (uint)third;
                data = data[(3 * Lane)..];
            }

            while (data.Length >= sizeof(ulong))
            {
                crc = (uint)Sse42.X64.Crc32(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }

            foreach (var b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }

            return crc;
        }

        if (Sse42.IsSupported)
        {
            while (data.Length >= sizeof(uint))
            {
                crc = Sse42.Crc32(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
                data = data[sizeof(uint)..];
            }

            foreach (var b in data)
            {
                crc = Sse42.Crc32(crc, b);
            }

            return crc;
        }

        if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= sizeof(ulong))
            {
                crc = Crc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[sizeof(ulong)..];
            }

            foreach (var b in data)
            {
                crc = Crc32.ComputeCrc32C(crc, b);
            }

            return crc;
        }

        if (Crc32.IsSupported)
        {
            foreach (var b in data)
            {
                crc = Crc32.ComputeCrc32C(crc, b);
            }

            return crc;
        }

        return AppendSoftware(crc, data);
    }

    /// <summary>The table-driven path; internal so tests can hold the hardware paths against it.</summary>
    internal static uint AppendSoftware(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table;
        foreach (var b in data)
        {
            crc = table[(byte)(crc ^ b)] ^ (crc >> 8);
        }

        return crc;
    }

    /// <summary>A linear map of CRCs given by <see cref="PastZeros"/>' tables.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Apply(uint[] map, uint crc) =>
        map[(byte)crc] ^ map[256 + (byte)(crc >> 8)] ^ map[512 + (byte)(crc >> 16)] ^ map[768 + (crc >> 24)];

    /// <summary>
    /// The map from a running CRC to the running CRC after <paramref name="zeros"/> more zero bytes, as four tables (one per
    /// byte of the CRC): the map is linear, so it is fixed by its value on each of the 32 bits, and a byte's entry is the
    /// XOR of its bits' values.
    /// </summary>
    private static uint[] PastZeros(int zeros)
    {
        Span<uint> bits = stackalloc uint[32];
        for (var bit = 0; bit < 32; bit++)
        {
            var crc = (ulong)(1u << bit);
            for (var i = 0; i < zeros; i += sizeof(ulong))
            {
                crc = Sse42.X64.Crc32(crc, 0UL);
            }

            bits[bit] = (uint)crc;
        }

        var map = new uint[4 * 256];
        for (var b = 0; b < 4; b++)
        {
            for (var value = 0; value < 256; value++)
            {
                uint image = 0;
                for (var bit = 0; bit < 8; bit++)
                {
                    image ^= ((value >> bit) & 1) != 0 ? bits[(8 * b) + bit] : 0;
                }

                map[(256 * b) + value] = image;
            }
        }

        return map;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
