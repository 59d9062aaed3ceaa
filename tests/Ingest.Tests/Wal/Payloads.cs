using System.Buffers.Binary;

namespace Autopilot.Ingest.Tests.Wal;

/// <summary>Deterministic payloads: the id in the first 8 bytes, then bytes derived from it, so damage is detectable.</summary>
internal static class Payloads
{
    public static byte[] For(long id, int length)
    {
        var payload = new byte[length];
        for (var i = 0; i < length; i++)
        {
            payload[i] = (byte)((id * 31) + (i * 7) + (i >> 8));
        }

        if (length >= 8)
        {
            BinaryPrimitives.WriteInt64LittleEndian(payload, id);
        }

        return payload;
    }
}
