using System.Numerics;
using System.Runtime.CompilerServices;
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
/// A mutable struct, kept in its detector's field: pass it by reference, as a copy shares the array but not the counters
/// (categories in use, ring position, values seen).
/// </remarks>
internal struct WindowPatternMemory
{
    private const float ChoiceAlpha = 0.001f;

    private readonly float _vigilance;
    private readonly float _learningRate;

    // Categories rounded up to whole SIMD vectors; the padding columns stay 0 and are never read back.
    private readonly int _stride;

    private readonly int _window;
    private readonly int _categories;

    // One array holds everything: each category's last use (categories longs), then as floats the ring (window), each
    // category's |w| (categories; kept so a point needs no second sum, rebuilt on restore), the complement-coded window
    // (2 × window: values, then 1 - values; rebuilt every point, never persisted), |I ∧ w| per category (stride; scratch)
    // and the weights (2 × window × stride). With the memory a struct inside its detector, a point follows one reference
    // from the detector to all of it, where it followed two to reach six arrays: a shard cycles through thousands of
    // detectors, so each of those was a cache miss, most of them one after the other.
    private readonly long[] _state;
    private readonly int _input;
    private readonly int _overlaps;
    private readonly int _weights;
    private readonly int _floats;

    /// <summary>Creates an empty memory of <paramref name="categories"/> boxes over windows of <paramref name="window"/> values.</summary>
    public WindowPatternMemory(int window, int categories, double vigilance, double learningRate)
    {
        _stride = (categories + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        _window = window;
        _categories = categories;
        _input = window + categories;
        _overlaps = _input + (2 * window);
        _weights = _overlaps + _stride;
        _floats = _weights + (2 * window * _stride);
        _state = new long[categories + ((_floats + 1) / 2)];
        _vigilance = (float)vigilance;
        _learningRate = (float)learningRate;
    }

    /// <summary>Whether this memory was created (false for the default value, a detector without the signal).</summary>
    public readonly bool InUse => _state is not null;

    /// <summary>The last <c>window</c> values, oldest at <see cref="Position"/>.</summary>
    public readonly Span<float> Ring => Floats[.._window];

    /// <summary>Point count at which each category was last chosen (least recently used is replaced).</summary>
    public readonly Span<long> LastUsed => _state.AsSpan(0, _categories);

    /// <summary>Categories in use.</summary>
    public int Categories { get; set; }

    /// <summary>Next slot of <see cref="Ring"/>.</summary>
    public int Position { get; set; }

    /// <summary>Values seen (the first full window is at <c>Ring.Length</c>).</summary>
    public long Seen { get; set; }

    /// <summary>Number of weights: 2 × window per category.</summary>
    public readonly int WeightCount => 2 * _window * _categories;

    /// <summary>Bytes the state takes in a snapshot.</summary>
    public readonly int SnapshotSize => 4 + 4 + 8 + (4 * _window) + (4 * WeightCount) + (8 * _categories);

    // The float part of the array.
    private readonly Span<float> Floats => MemoryMarshal.Cast<long, float>(_state.AsSpan(_categories))[.._floats];

    // |w| of each category.
    private readonly Span<float> Sizes => Floats.Slice(_window, _categories);

    // Weights, position-major: the weight of category j for input position d is at _weights + d * _stride + j.
    private readonly int WeightAt(int index) => _weights + (index / _categories * _stride) + (index % _categories);

    /// <summary>Weight <paramref name="index"/> in snapshot order (category-minor: position 0 of every category first).</summary>
    public readonly float GetWeight(int index) => Floats[WeightAt(index)];

    /// <summary>Sets weight <paramref name="index"/> in snapshot order; call <see cref="Restored"/> after the last one.</summary>
    public readonly void SetWeight(int index, float value) => Floats[WeightAt(index)] = value;

    /// <summary>Adds <paramref name="scaled"/> (in [0,1]), returns the window's distance to the nearest known box, then learns the window.</summary>
    public double Learn(float scaled, long now)
    {
        var w = _window;
        var state = Floats;
        state[Position] = scaled;
        Position = Position + 1 == w ? 0 : Position + 1;
        Seen++;
        if (Seen < w)
        {
            return 0.0;
        }

        var n = 2 * w;
        var input = state.Slice(_input, n);
        var older = w - Position;
        state[Position..w].CopyTo(input);
        state[..Position].CopyTo(input[older..]);
        for (var i = 0; i < w; i++)
        {
            input[w + i] = 1f - input[i];
        }

        var overlaps = state.Slice(_overlaps, _stride);
        Overlaps(input, overlaps, state);
        var sizes = state.Slice(w, _categories);
        var chosen = -1;
        var bestChoice = -1f;
        var nearest = float.MaxValue;
        var required = _vigilance * w;
        for (var j = 0; j < Categories; j++)
        {
            var overlap = overlaps[j];
            var size = sizes[j];

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
        var weights = state[_weights..];
        var lastUsed = LastUsed;
        if (chosen < 0)
        {
            chosen = Categories < _categories ? Categories++ : LeastRecentlyUsed();
            for (var d = 0; d < n; d++)
            {
                weights[(d * _stride) + chosen] = input[d];
            }

            sizes[chosen] = w;
        }
        else
        {
            var size = 0f;
            for (var d = 0; d < n; d++)
            {
                ref var weight = ref weights[(d * _stride) + chosen];
                weight += _learningRate * (Math.Min(input[d], weight) - weight);
                size += weight;
            }

            sizes[chosen] = size;
        }

        lastUsed[chosen] = now;
        return surprise;
    }

    /// <summary>Recomputes what is derived from the weights after they were set from a snapshot.</summary>
    public readonly void Restored()
    {
        var sizes = Sizes;
        var weights = Floats[_weights..];
        for (var j = 0; j < _categories; j++)
        {
            var size = 0f;
            for (var d = 0; d < 2 * _window; d++)
            {
                size += weights[(d * _stride) + j];
            }

            sizes[j] = size;
        }
    }

    /// <summary>
    /// Fills <paramref name="overlaps"/> with |I ∧ w| of every category in use, a SIMD vector of categories at a time (a
    /// series whose shapes fit a few boxes scores one vector of them, not all <see cref="_stride"/> columns).
    /// </summary>
    private readonly void Overlaps(ReadOnlySpan<float> input, Span<float> overlaps, Span<float> state)
    {
        ref var weights = ref MemoryMarshal.GetReference(state[_weights..]);
        for (var j = 0; j < Categories; j += Vector<float>.Count)
        {
            var sum = Vector<float>.Zero;
            for (var d = 0; d < input.Length; d++)
            {
                sum += Vector.Min(new Vector<float>(input[d]), Vector.LoadUnsafe(ref weights, (nuint)((d * _stride) + j)));
            }

            sum.StoreUnsafe(ref MemoryMarshal.GetReference(overlaps), (nuint)j);
        }
    }

    private readonly int LeastRecentlyUsed()
    {
        var lastUsed = LastUsed;
        var oldest = 0;
        for (var j = 1; j < lastUsed.Length; j++)
        {
            if (lastUsed[j] < lastUsed[oldest])
            {
                oldest = j;
            }
        }

        return oldest;
    }
}
