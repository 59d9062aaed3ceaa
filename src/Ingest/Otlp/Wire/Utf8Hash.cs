using System.Buffers.Binary;
using System.Numerics;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// A fast, non-cryptographic hash of short UTF-8 strings for the direct-mapped intern tables. Collisions only
/// evict a table slot (a later miss and a fresh string), never return a wrong string, so an adversary who
/// finds them gains nothing but cache misses.
/// </summary>
internal static class Utf8Hash
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    public static uint Compute(ReadOnlySpan<byte> utf8)
    {
        var hash = (ulong)utf8.Length * Multiplier;
        while (utf8.Length >= 8)
        {
            hash = BitOperations.RotateLeft((hash ^ BinaryPrimitives.ReadUInt64LittleEndian(utf8)) * Multiplier, 31);
            utf8 = utf8[8..];
        }

        if (utf8.Length != 0)
        {
            ulong tail = 0;
            for (var i = 0; i < utf8.Length; i++)
            {
                tail |= (ulong)utf8[i] << (8 * i);
            }

            hash = BitOperations.RotateLeft((hash ^ tail) * Multiplier, 31);
        }

        hash ^= hash >> 29;
        hash *= Multiplier;
        return (uint)(hash >> 32);
    }
}
