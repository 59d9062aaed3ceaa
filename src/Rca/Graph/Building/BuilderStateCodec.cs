namespace Autopilot.Rca.Graph.Building;

/// <summary>
/// The builder's own state beside the graph, written with every commit: its two watermarks and the spans waiting
/// for their other half. Without it a restart would forget pairs that straddle the commit and expire the rest
/// on a different watermark than an uninterrupted run.
/// </summary>
internal static class BuilderStateCodec
{
    private const byte FormatVersion = 1;

    public static byte[] Write(SpanPairing pairing, long spanWatermark, long watermark)
    {
        using var stream = new MemoryStream(32 + (pairing.Count * 64));
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(FormatVersion);
            writer.Write(spanWatermark);
            writer.Write(watermark);
            writer.Write(pairing.Count);
            foreach (var (key, span) in pairing.Entries)
            {
                writer.Write(key.TraceHigh);
                writer.Write(key.TraceLow);
                writer.Write(key.SpanId);
                writer.Write(span.IsClient);
                writer.Write(span.Error);
                writer.Write(span.Service.Urn);
                writer.Write(span.Start);
                writer.Write(span.ExpiresAt);
                writer.Write(span.DurationMs);
                writer.Write(span.Peer is not null);
                if (span.Peer is not null)
                {
                    writer.Write(span.Peer);
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Restores what <see cref="Write"/> stored into <paramref name="pairing"/>; false (nothing restored) when the
    /// bytes are not in this format, so a damaged row costs a few pairs, never the start.
    /// </summary>
    public static bool TryRead(byte[] bytes, Func<string, NodeState?> node, SpanPairing pairing, out long spanWatermark, out long watermark)
    {
        spanWatermark = watermark = long.MinValue;
        var restored = new List<(PairKey, PendingSpan)>();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
            if (reader.ReadByte() != FormatVersion)
            {
                return false;
            }

            var span = reader.ReadInt64();
            var all = reader.ReadInt64();
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var key = new PairKey(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64());
                var pending = new PendingSpan { IsClient = reader.ReadBoolean(), Error = reader.ReadBoolean() };
                var service = node(reader.ReadString());
                pending.Start = reader.ReadInt64();
                pending.ExpiresAt = reader.ReadInt64();
                pending.DurationMs = reader.ReadDouble();
                pending.Peer = reader.ReadBoolean() ? reader.ReadString() : null;
                if (service is not null)
                {
                    pending.Service = service;
                    restored.Add((key, pending));
                }
            }

            spanWatermark = span;
            watermark = all;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }

        foreach (var (key, pending) in restored)
        {
            pairing.Restore(key, pending);
        }

        return true;
    }
}
