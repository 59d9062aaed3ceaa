using System.Numerics;
using System.Runtime.InteropServices;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// A bounded memory of the shapes of recent windows, after ARTime's adaptive resonance (fuzzy ART with
/// complement coding): each of at most <c>categories</c> categories is a hyperbox over the last
/// <c>window</c> values (scaled to [0,1] by the caller). A window that fits no known box well enough
/// (vigilance) opens a new category, replacing the least recently used one when the memory is full, so
/// the memory follows the series instead of freezing on its first weeks.
/// </summary>
/// <remarks>
/// The surprise is how far the window lies outside the nearest box (mean L1 distance per value, 0 inside
/// a box), measured before the window is learned. Weights are floats stored value-position-major (all
/// categories' weight for position 0, then position 1, ...), so one SIMD min-and-add scores 8 categories
/// at once and a point costs 2 × window of them per 8 categories, with no horizontal sums.
/// </remarks>
internal sealed class WindowPatternMemory
{
    private const float ChoiceAlpha = 0.001f;

    private readonly float _vigilance;
    private readonly float _learningRate;

    // Categories rounded up to whole SIMD vectors; the padding columns stay 0 and are never read back.
    private readonly int _stride;

    // The complement-coded window (values, then 1 - values), rebuilt every point from the ring; never persisted.
    private readonly float[] _input;

    // |I ∧ w| per category for the current window (scratch).
    private readonly float[] _overlap;

    // |w| of each category, kept so a point needs no second sum; rebuilt on restore.
    private readonly float[] _sizes;

    /// <summary>Creates an empty memory of <paramref name="categories"/> boxes over windows of <paramref name="window"/> values.</summary>
    public WindowPatternMemory(int window, int categories, double vigilance, double learningRate)
    {
        _stride = (categories + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        Ring = new float[window];
        _input = new float[2 * window];
        _overlap = new float[_stride];
        _sizes = new float[categories];
        Weights = new float[2 * window * _stride];
        LastUsed = new long[categories];
        _vigilance = (float)vigilance;
        _learningRate = (float)learningRate;
    }

    /// <summary>The last <c>window</c> values, oldest at <see cref="Position"/>.</summary>
    public float[] Ring { get; }

    /// <summary>Point count at which each category was last chosen (least recently used is replaced).</summary>
    public long[] LastUsed { get; }

    /// <summary>Categories in use.</summary>
    public int Categories { get; set; }

    /// <summary>Next slot of <see cref="Ring"/>.</summary>
    public int Position { get; set; }

    /// <summary>Values seen (the first full window is at <c>Ring.Length</c>).</summary>
    public long Seen { get; set; }

    /// <summary>Number of weights: 2 × window per category.</summary>
    public int WeightCount => _input.Length * LastUsed.Length;

    /// <summary>Bytes the state takes in a snapshot.</summary>
    public int SnapshotSize => 4 + 4 + 8 + (4 * Ring.Length) + (4 * WeightCount) + (8 * LastUsed.Length);

    // Weights, position-major: the weight of category j for input position d is at d * _stride + j.
    private float[] Weights { get; }

    /// <summary>Weight <paramref name="index"/> in snapshot order (category-minor: position 0 of every category first).</summary>
    public float GetWeight(int index) => Weights[(index / LastUsed.Length * _stride) + (index % LastUsed.Length)];

    /// <summary>Sets weight <paramref name="index"/> in snapshot order; call <see cref="Restored"/> after the last one.</summary>
    public void SetWeight(int index, float value) => Weights[(index / LastUsed.Length * _stride) + (index % LastUsed.Length)] = value;

    /// <summary>Adds <paramref name="scaled"/> (in [0,1]), returns the window's distance to the nearest known box, then learns the window.</summary>
    public double Learn(float scaled, long now)
    {
        var w = Ring.Length;
        Ring[Position] = scaled;
        Position = Position + 1 == w ? 0 : Position + 1;
        Seen++;
        if (Seen < w)
        {
            return 0.0;
        }

        var older = w - Position;
        Ring.AsSpan(Position).CopyTo(_input);
        Ring.AsSpan(0, Position).CopyTo(_input.AsSpan(older));
        for (var i = 0; i < w; i++)
        {
            _input[w + i] = 1f - _input[i];
        }

        Overlaps();
        var chosen = -1;
        var bestChoice = -1f;
        var nearest = float.MaxValue;
        var required = _vigilance * w;
        for (var j = 0; j < Categories; j++)
        {
            var overlap = _overlap[j];
            var size = _sizes[j];

            // |I ∧ w| = |w| - (distance outside the box), and |I| = window with complement coding.
            nearest = Math.Min(nearest, size - overlap);
            if (overlap >= required)
            {
                var choice = overlap / (ChoiceAlpha + size);
                if (choice > bestChoice)
                {
                    bestChoice = choice;
                    chosen = j;
                }
            }
        }

        var surprise = Categories == 0 ? 0.0 : Math.Max(0f, nearest) / w;
        var n = _input.Length;
        if (chosen < 0)
        {
            chosen = Categories < LastUsed.Length ? Categories++ : LeastRecentlyUsed();
            for (var d = 0; d < n; d++)
            {
                Weights[(d * _stride) + chosen] = _input[d];
            }

            _sizes[chosen] = w;
        }
        else
        {
            var size = 0f;
            for (var d = 0; d < n; d++)
            {
                ref var weight = ref Weights[(d * _stride) + chosen];
                weight += _learningRate * (Math.Min(_input[d], weight) - weight);
                size += weight;
            }

            _sizes[chosen] = size;
        }

        LastUsed[chosen] = now;
        return surprise;
    }

    /// <summary>Recomputes what is derived from the weights after they were set from a snapshot.</summary>
    public void Restored()
    {
        for (var j = 0; j < _sizes.Length; j++)
        {
            var size = 0f;
            for (var d = 0; d < _input.Length; d++)
            {
                size += Weights[(d * _stride) + j];
            }

            _sizes[j] = size;
        }
    }

    /// <summary>
    /// Fills <see cref="_overlap"/> with |I ∧ w| of every category in use, a SIMD vector of categories at a time (a series
    /// whose shapes fit a few boxes scores one vector of them, not all <see cref="_stride"/> columns).
    /// </summary>
    private void Overlaps()
    {
        ref var weights = ref MemoryMarshal.GetArrayDataReference(Weights);
        var n = _input.Length;
        for (var j = 0; j < Categories; j += Vector<float>.Count)
        {
            var sum = Vector<float>.Zero;
            for (var d = 0; d < n; d++)
            {
                sum += Vector.Min(new Vector<float>(_input[d]), Vector.LoadUnsafe(ref weights, (nuint)((d * _stride) + j)));
            }

            sum.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_overlap), (nuint)j);
        }
    }

    private int LeastRecentlyUsed()
    {
        var oldest = 0;
        for (var j = 1; j < LastUsed.Length; j++)
        {
            if (LastUsed[j] < LastUsed[oldest])
            {
                oldest = j;
            }
        }

        return oldest;
    }
}
