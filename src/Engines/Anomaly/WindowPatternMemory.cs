using System.Numerics;

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
/// a box), measured before the window is learned. Weights are floats: a category of 2 × window values
/// is one or two SIMD vectors at the default window of 8, so a point costs a few instructions per category.
/// </remarks>
internal sealed class WindowPatternMemory
{
    private const float ChoiceAlpha = 0.001f;

    private readonly float _vigilance;
    private readonly float _learningRate;

    // Scratch for the complement-coded window; rebuilt every point, never persisted.
    private readonly float[] _input;

    /// <summary>Creates an empty memory of <paramref name="categories"/> boxes over windows of <paramref name="window"/> values.</summary>
    public WindowPatternMemory(int window, int categories, double vigilance, double learningRate)
    {
        Ring = new float[window];
        _input = new float[2 * window];
        Weights = new float[2 * window * categories];
        LastUsed = new long[categories];
        _vigilance = (float)vigilance;
        _learningRate = (float)learningRate;
    }

    /// <summary>The last <c>window</c> values, oldest at <see cref="Position"/>.</summary>
    public float[] Ring { get; }

    /// <summary>Category weights, <c>2 × window</c> per category (values, then complements).</summary>
    public float[] Weights { get; }

    /// <summary>Point count at which each category was last chosen (least recently used is replaced).</summary>
    public long[] LastUsed { get; }

    /// <summary>Categories in use.</summary>
    public int Categories { get; set; }

    /// <summary>Next slot of <see cref="Ring"/>.</summary>
    public int Position { get; set; }

    /// <summary>Values seen (the first full window is at <c>Ring.Length</c>).</summary>
    public long Seen { get; set; }

    /// <summary>Bytes the state takes in a snapshot.</summary>
    public int SnapshotSize => 4 + 4 + 8 + (4 * Ring.Length) + (4 * Weights.Length) + (8 * LastUsed.Length);

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

        for (var i = 0; i < w; i++)
        {
            var v = Ring[(Position + i) % w];
            _input[i] = v;
            _input[w + i] = 1f - v;
        }

        var n = _input.Length;
        var chosen = -1;
        var bestChoice = -1f;
        var nearest = float.MaxValue;
        for (var j = 0; j < Categories; j++)
        {
            Overlap(Weights.AsSpan(j * n, n), out var overlap, out var size);

            // |I ∧ w| = |w| - (distance outside the box), and |I| = window with complement coding.
            nearest = Math.Min(nearest, size - overlap);
            var choice = overlap / (ChoiceAlpha + size);
            if (overlap >= _vigilance * w && choice > bestChoice)
            {
                bestChoice = choice;
                chosen = j;
            }
        }

        var surprise = Categories == 0 ? 0.0 : Math.Max(0f, nearest) / w;
        if (chosen < 0)
        {
            chosen = Categories < LastUsed.Length ? Categories++ : LeastRecentlyUsed();
            _input.AsSpan().CopyTo(Weights.AsSpan(chosen * n, n));
        }
        else
        {
            var weights = Weights.AsSpan(chosen * n, n);
            for (var i = 0; i < n; i++)
            {
                weights[i] += _learningRate * (Math.Min(_input[i], weights[i]) - weights[i]);
            }
        }

        LastUsed[chosen] = now;
        return surprise;
    }

    private void Overlap(ReadOnlySpan<float> weights, out float overlap, out float size)
    {
        var input = _input.AsSpan();
        var i = 0;
        overlap = 0f;
        size = 0f;
        if (Vector.IsHardwareAccelerated && weights.Length >= Vector<float>.Count)
        {
            var o = Vector<float>.Zero;
            var s = Vector<float>.Zero;
            for (; i <= weights.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var wv = new Vector<float>(weights[i..]);
                o += Vector.Min(new Vector<float>(input[i..]), wv);
                s += wv;
            }

            overlap = Vector.Sum(o);
            size = Vector.Sum(s);
        }

        for (; i < weights.Length; i++)
        {
            overlap += Math.Min(input[i], weights[i]);
            size += weights[i];
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
