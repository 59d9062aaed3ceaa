using System.Runtime.CompilerServices;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Fixed-size quantile sketch of durations in milliseconds: logarithmic buckets of ratio 1.04 from 1 µs
/// to about 28 h (647 counters, 2.6 KB), so any quantile is within 2 % of a true sample value.
/// Values at or below 1 µs share the first bucket, values above the range the last.
/// </summary>
/// <remarks>
/// Sparse until it holds more than <see cref="SparseCapacity"/> values: until then it keeps each value's bucket number
/// (two bytes) inline, next to its count, and only a busier window moves them into the 647 counters. Quantiles,
/// snapshots and bounds are the same either way (a test checks every one against the counters), but a series with a
/// few dozen spans per window (most series of a large fleet, and every rarely called operation) costs 160 bytes
/// per open window instead of 2.8 KB, and adding a span writes a line next to the count instead of a counter somewhere
/// in 2.6 KB: one cache miss per span instead of two. A sketch that went dense is sparse again when reset but keeps its
/// counters, so a pooled sketch allocates them at most once.
/// </remarks>
internal sealed class QuantileSketch
{
    public const int Buckets = 647;

    /// <summary>Values kept as bucket numbers before the sketch counts them in its 647 counters.</summary>
    internal const int SparseCapacity = 48;

    private const double Gamma = 1.04;
    private const double MinValue = 0.001;
    private static readonly double LnGamma = Math.Log(Gamma);

    // All zero while the sketch is sparse (null until it first goes dense).
    private int[]? _counts;
    private bool _dense;
    private readonly bool _forceDense;

    // The lowest and highest non-empty bucket (Buckets and -1 when empty), kept while dense: a window's durations span
    // a few hundred of the 647 buckets, so quantiles, resets and snapshots look only at that range instead of the whole 2.6 KB.
    private int _lo = Buckets;
    private int _hi = -1;

    // While sparse: the first Count values' buckets, in the order added.
    private SparseBuckets _sparse;

    public QuantileSketch()
    {
    }

    /// <summary>A sketch that counts in its 647 counters from the first value (the reference the sparse form is tested against).</summary>
    internal QuantileSketch(bool dense)
    {
        if (dense)
        {
            _counts = new int[Buckets];
            _dense = _forceDense = true;
        }
    }

    /// <summary>Whether the values are counted in the 647 counters (false: kept as bucket numbers inline).</summary>
    internal bool IsDense => _dense;

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
        AddAt(Index(v), v);
    }

    /// <summary>The bucket of a finite value (its logarithm is the costly part), for adding one value to several sketches.</summary>
    public static int BucketOf(double valueMs) => Index(Math.Max(valueMs, 0));

    /// <summary>Adds a finite value whose bucket <see cref="BucketOf"/> gave.</summary>
    public void Add(double valueMs, int bucket)
    {
        AddAt(bucket, Math.Max(valueMs, 0));
    }

    private void AddAt(int bucket, double v)
    {
        if (_dense)
        {
            CountIn(bucket);
        }
        else if (Count < SparseCapacity)
        {
            _sparse[(int)Count] = (ushort)bucket;
        }
        else
        {
            GoDense();
            CountIn(bucket);
        }

        Count++;

        // v is finite and not negative (no NaN, no −0), where these comparisons are exactly Math.Min and Math.Max.
        if (v < Min)
        {
            Min = v;
        }

        if (v > Max)
        {
            Max = v;
        }
    }

    private void CountIn(int bucket, int n = 1)
    {
        _counts![bucket] += n;
        if (bucket < _lo)
        {
            _lo = bucket;
        }

        if (bucket > _hi)
        {
            _hi = bucket;
        }
    }

    /// <summary>Moves the inline bucket numbers into the counters (allocated the first time only).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GoDense()
    {
        _counts ??= new int[Buckets];
        _dense = true;
        for (var i = 0; i < (int)Count; i++)
        {
            CountIn(_sparse[i]);
        }
    }

    /// <summary>The <paramref name="q"/>-quantile (nearest rank on the bucket counts), clamped to the observed min/max; NaN when empty.</summary>
    /// <remarks>Above the median it counts down from the highest bucket, so a p99 reads a few buckets instead of the whole range.</remarks>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = RankOf(q);
        return !_dense ? SparseAt(rank) : rank > Count / 2 ? ScanDown(rank) : ScanUp(rank);
    }

    /// <summary><see cref="Quantile"/> always scanning up from the lowest bucket (as it does below the median); for tests.</summary>
    internal double QuantileScanningUp(double q) => Count == 0 ? double.NaN : !_dense ? SparseAt(RankOf(q)) : ScanUp(RankOf(q));

    /// <summary>The nearest rank of <paramref name="q"/> among <see cref="Count"/> values (1-based, at least 1).</summary>
    private long RankOf(double q) => Math.Max((long)Math.Ceiling(Math.Clamp(q, 0, 1) * Count), 1);

    /// <summary>While sparse: the bucket holding the <paramref name="rank"/>-th smallest value, as counting up would find it.</summary>
    /// <remarks>
    /// The highest and the lowest rank (a p99 of fewer than 100 values is the highest: the one quantile a window is
    /// always judged on) are found in one pass; any other rank sorts a copy.
    /// </remarks>
    private double SparseAt(long rank)
    {
        var values = ((ReadOnlySpan<ushort>)_sparse)[..(int)Count];
        int bucket;
        if (rank == values.Length || rank == 1)
        {
            var highest = rank == values.Length;
            bucket = values[0];
            for (var i = 1; i < values.Length; i++)
            {
                bucket = highest ? Math.Max(bucket, values[i]) : Math.Min(bucket, values[i]);
            }
        }
        else
        {
            Span<ushort> sorted = stackalloc ushort[SparseCapacity];
            sorted = sorted[..Sorted(sorted)];
            bucket = sorted[(int)rank - 1];
        }

        return Math.Clamp(Representative(bucket), Min, Max);
    }

    /// <summary>Copies the inline bucket numbers into <paramref name="into"/>, sorted; returns how many.</summary>
    private int Sorted(Span<ushort> into)
    {
        var n = (int)Count;
        ((ReadOnlySpan<ushort>)_sparse)[..n].CopyTo(into);
        into[..n].Sort();
        return n;
    }

    /// <summary>The first bucket (going up) with <paramref name="rank"/> values at or below it.</summary>
    private double ScanUp(long rank)
    {
        long seen = 0;
        for (var i = _lo; i <= _hi; i++)
        {
            seen += _counts![i];
            if (seen >= rank)
            {
                return Math.Clamp(Representative(i), Min, Max);
            }
        }

        return Max;
    }

    /// <summary>
    /// The same bucket as <see cref="ScanUp"/>, found going down: the first one with more than Count − rank values at or
    /// above it.
    /// </summary>
    private double ScanDown(long rank)
    {
        var tail = Count - rank;
        long above = 0;
        for (var i = _hi; i >= _lo; i--)
        {
            above += _counts![i];
            if (above > tail)
            {
                return Math.Clamp(Representative(i), Min, Max);
            }
        }

        return Max;
    }

    /// <summary>Empties the sketch, sparse again; counters it allocated are cleared and kept for its next busy window.</summary>
    public void Reset()
    {
        if (_hi >= _lo)
        {
            Array.Clear(_counts!, _lo, _hi - _lo + 1);
        }

        _dense = _dense && _forceDense;

        _lo = Buckets;
        _hi = -1;
        Count = 0;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
    }

    /// <summary>Count, min, max and the non-empty buckets in ascending order with their counts (the same bytes sparse or dense).</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(Min);
        writer.Write(Max);
        if (!_dense)
        {
            Span<ushort> sorted = stackalloc ushort[SparseCapacity];
            sorted = sorted[..Sorted(sorted)];
            var distinct = 0;
            for (var i = 0; i < sorted.Length; i++)
            {
                distinct += i == 0 || sorted[i] != sorted[i - 1] ? 1 : 0;
            }

            writer.Write(distinct);
            for (var i = 0; i < sorted.Length;)
            {
                var run = 1;
                while (i + run < sorted.Length && sorted[i + run] == sorted[i])
                {
                    run++;
                }

                writer.Write((short)sorted[i]);
                writer.Write(run);
                i += run;
            }

            return;
        }

        var nonEmpty = 0;
        for (var i = _lo; i <= _hi; i++)
        {
            nonEmpty += _counts![i] > 0 ? 1 : 0;
        }

        writer.Write(nonEmpty);
        for (var i = _lo; i <= _hi; i++)
        {
            if (_counts![i] > 0)
            {
                writer.Write((short)i);
                writer.Write(_counts[i]);
            }
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote; a sketch whose buckets do not add up to its count is refused.</summary>
    public void Read(BinaryReader reader)
    {
        Reset();
        var count = reader.ReadInt64();
        var min = reader.ReadDouble();
        var max = reader.ReadDouble();
        var nonEmpty = reader.ReadInt32();
        if (count < 0 || nonEmpty < 0 || nonEmpty > Buckets)
        {
            throw new InvalidDataException($"Quantile sketch of {count} values in {nonEmpty} buckets is not valid.");
        }

        for (var i = 0; i < nonEmpty; i++)
        {
            var index = reader.ReadInt16();
            var n = reader.ReadInt32();
            if (index is < 0 or >= Buckets)
            {
                throw new InvalidDataException($"Quantile sketch bucket {index} is out of range.");
            }

            if (n <= 0 || Count + n > count)
            {
                throw new InvalidDataException($"Quantile sketch bucket {index} holds {n} values, beyond the sketch's {count}.");
            }

            if (!_dense && Count + n <= SparseCapacity)
            {
                for (var k = 0; k < n; k++)
                {
                    _sparse[(int)Count++] = (ushort)index;
                }

                continue;
            }

            if (!_dense)
            {
                GoDense();
            }

            CountIn(index, n);
            Count += n;
        }

        if (Count != count)
        {
            throw new InvalidDataException($"Quantile sketch buckets hold {Count} values, not the {count} it says.");
        }

        Min = min;
        Max = max;
    }

    private static int Index(double v) =>
        v <= MinValue ? 0 : Math.Clamp((int)Math.Ceiling(Math.Log(v / MinValue) / LnGamma), 1, Buckets - 1);

    /// <summary>Midpoint (in ratio) of bucket <paramref name="i"/>, which holds (Min·γ^(i−1), Min·γ^i].</summary>
    private static double Representative(int i) => i == 0 ? MinValue : MinValue * Math.Pow(Gamma, i - 1) * (1 + Gamma) / 2;

    [InlineArray(SparseCapacity)]
    private struct SparseBuckets
    {
        private ushort _element;
    }
}
