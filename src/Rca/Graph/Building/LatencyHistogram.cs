using System.Buffers.Binary;

namespace Autopilot.Rca.Graph.Building;

/// <summary>
/// Latencies of one edge in logarithmic buckets of ratio 1.2 from 10 µs to about 31 h (128 counters, 512 B),
/// so a quantile is within 10 % of a true sample. Small enough to keep one per edge; the engines' 2 % sketch
/// is 2.6 KB. Values beyond either end share the end bucket; quantiles are clamped to the observed min/max.
/// </summary>
internal sealed class LatencyHistogram
{
    public const int Buckets = 128;
    private const double Ratio = 1.2;
    private const double MinValue = 0.01;
    private static readonly double LnRatio = Math.Log(Ratio);
    private static readonly double SqrtRatio = Math.Sqrt(Ratio);

    private readonly int[] _counts = new int[Buckets];

    public long Count { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public void Add(double valueMs)
    {
        if (!double.IsFinite(valueMs))
        {
            return;
        }

        var v = Math.Max(valueMs, 0);
        var index = v <= MinValue ? 0 : Math.Min(Buckets - 1, 1 + (int)(Math.Log(v / MinValue) / LnRatio));
        _counts[index]++;
        Count++;
        if (v < Min)
        {
            Min = v;
        }

        if (v > Max)
        {
            Max = v;
        }
    }

    /// <summary>The <paramref name="q"/>-quantile (nearest rank), 0 when empty.</summary>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(Math.Clamp(q, 0, 1) * Count));
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                var representative = i == 0 ? MinValue : MinValue * Math.Pow(Ratio, i - 1) * SqrtRatio;
                return Math.Clamp(representative, Min, Max);
            }
        }

        return Max;
    }

    /// <summary>Count, min, max and the non-empty buckets as (index, count) pairs; little-endian.</summary>
    public byte[] ToBytes()
    {
        var nonEmpty = 0;
        foreach (var c in _counts)
        {
            nonEmpty += c > 0 ? 1 : 0;
        }

        var bytes = new byte[8 + 8 + 8 + 2 + (nonEmpty * 5)];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt64LittleEndian(span, Count);
        BinaryPrimitives.WriteDoubleLittleEndian(span[8..], Min);
        BinaryPrimitives.WriteDoubleLittleEndian(span[16..], Max);
        BinaryPrimitives.WriteUInt16LittleEndian(span[24..], (ushort)nonEmpty);
        var at = 26;
        for (var i = 0; i < Buckets; i++)
        {
            if (_counts[i] > 0)
            {
                span[at] = (byte)i;
                BinaryPrimitives.WriteInt32LittleEndian(span[(at + 1)..], _counts[i]);
                at += 5;
            }
        }

        return bytes;
    }

    /// <summary>Reads <see cref="ToBytes"/>; null for anything else (a damaged row restarts the edge's percentile, never the process).</summary>
    public static LatencyHistogram? FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 26)
        {
            return null;
        }

        var nonEmpty = BinaryPrimitives.ReadUInt16LittleEndian(bytes[24..]);
        if (bytes.Length != 26 + (nonEmpty * 5))
        {
            return null;
        }

        var histogram = new LatencyHistogram
        {
            Count = BinaryPrimitives.ReadInt64LittleEndian(bytes),
            Min = BinaryPrimitives.ReadDoubleLittleEndian(bytes[8..]),
            Max = BinaryPrimitives.ReadDoubleLittleEndian(bytes[16..]),
        };
        for (var i = 0; i < nonEmpty; i++)
        {
            var at = 26 + (i * 5);
            var index = bytes[at];
            if (index >= Buckets)
            {
                return null;
            }

            histogram._counts[index] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(at + 1)..]);
        }

        return histogram;
    }
}
