namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Fixed-size quantile sketch of durations in milliseconds: logarithmic buckets of ratio 1.04 from 1 µs
/// to about 28 h (647 counters, 2.6 KB), so any quantile is within 2 % of a true sample value.
/// Values at or below 1 µs share the first bucket, values above the range the last.
/// </summary>
internal sealed class QuantileSketch
{
    public const int Buckets = 647;
    private const double Gamma = 1.04;
    private const double MinValue = 0.001;
    private static readonly double LnGamma = Math.Log(Gamma);

    private readonly int[] _counts = new int[Buckets];

    // The lowest and highest non-empty bucket (Buckets and -1 when empty): a window's durations span a few hundred
    // of the 647 buckets, so quantiles, resets and snapshots look only at that range instead of the whole 2.6 KB.
    private int _lo = Buckets;
    private int _hi = -1;

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
        _counts[bucket]++;
        Count++;
        if (bucket < _lo)
        {
            _lo = bucket;
        }

        if (bucket > _hi)
        {
            _hi = bucket;
        }

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

    /// <summary>The <paramref name="q"/>-quantile (nearest rank on the bucket counts), clamped to the observed min/max; NaN when empty.</summary>
    /// <remarks>Above the median it counts down from the highest bucket, so a p99 reads a few buckets instead of the whole range.</remarks>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = RankOf(q);
        return rank > Count / 2 ? ScanDown(rank) : ScanUp(rank);
    }

    /// <summary><see cref="Quantile"/> always scanning up from the lowest bucket (as it does below the median); for tests.</summary>
    internal double QuantileScanningUp(double q) => Count == 0 ? double.NaN : ScanUp(RankOf(q));

    /// <summary>The nearest rank of <paramref name="q"/> among <see cref="Count"/> values (1-based, at least 1).</summary>
    private long RankOf(double q) => Math.Max((long)Math.Ceiling(Math.Clamp(q, 0, 1) * Count), 1);

    /// <summary>The first bucket (going up) with <paramref name="rank"/> values at or below it.</summary>
    private double ScanUp(long rank)
    {
        long seen = 0;
        for (var i = _lo; i <= _hi; i++)
        {
            seen += _counts[i];
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
            above += _counts[i];
            if (above > tail)
            {
                return Math.Clamp(Representative(i), Min, Max);
            }
        }

        return Max;
    }

    public void Reset()
    {
        if (_hi >= _lo)
        {
            Array.Clear(_counts, _lo, _hi - _lo + 1);
        }

        _lo = Buckets;
        _hi = -1;
        Count = 0;
        Min = double.PositiveInfinity;
        Max = double.NegativeInfinity;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(Min);
        writer.Write(Max);
        var nonEmpty = 0;
        for (var i = _lo; i <= _hi; i++)
        {
            nonEmpty += _counts[i] > 0 ? 1 : 0;
        }

        writer.Write(nonEmpty);
        for (var i = _lo; i <= _hi; i++)
        {
            if (_counts[i] > 0)
            {
                writer.Write((short)i);
                writer.Write(_counts[i]);
            }
        }
    }

    public void Read(BinaryReader reader)
    {
        Reset();
        Count = reader.ReadInt64();
        Min = reader.ReadDouble();
        Max = reader.ReadDouble();
        var nonEmpty = reader.ReadInt32();
        for (var i = 0; i < nonEmpty; i++)
        {
            var index = reader.ReadInt16();
            if (index is < 0 or >= Buckets)
            {
                throw new InvalidDataException($"Quantile sketch bucket {index} is out of range.");
            }

            _counts[index] = reader.ReadInt32();
            _lo = Math.Min(_lo, index);
            _hi = Math.Max(_hi, index);
        }
    }

    private static int Index(double v) =>
        v <= MinValue ? 0 : Math.Clamp((int)Math.Ceiling(Math.Log(v / MinValue) / LnGamma), 1, Buckets - 1);

    /// <summary>Midpoint (in ratio) of bucket <paramref name="i"/>, which holds (Min·γ^(i−1), Min·γ^i].</summary>
    private static double Representative(int i) => i == 0 ? MinValue : MinValue * Math.Pow(Gamma, i - 1) * (1 + Gamma) / 2;
}
