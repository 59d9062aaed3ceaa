using System.Buffers.Binary;

namespace Autopilot.WalCrashChild;

/// <summary>
/// Payloads the crash child appends and the crash test checks: <c>[i64 id][filler derived from id]</c>, with a length
/// derived from the id, so a payload alone proves which record it is and that it is intact. Shared by both sides.
/// </summary>
internal static class CrashPayload
{
    public const byte RecordType = 7;

    public static byte[] For(long id)
    {
        var payload = new byte[8 + (int)((id * 7919) % 1500)];
        BinaryPrimitives.WriteInt64LittleEndian(payload, id);
        for (var i = 8; i < payload.Length; i++)
        {
            payload[i] = (byte)(id ^ (i * 131));
        }

        return payload;
    }

    /// <summary>True when <paramref name="payload"/> is exactly what <see cref="For"/> makes for the id it carries.</summary>
    public static bool TryVerify(ReadOnlySpan<byte> payload, out long id)
    {
        id = payload.Length >= 8 ? BinaryPrimitives.ReadInt64LittleEndian(payload) : -1;
        return id >= 0 && payload.SequenceEqual(For(id));
    }
}
