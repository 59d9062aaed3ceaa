using System.Buffers.Binary;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// The resonance mode of <see cref="AnomalyDetector"/>, after ARTime (Mark Hampton's adaptive-resonance detector, the
/// NAB leader; written from its published description and code, not copied). The series is cut into blocks of
/// <c>step</c> points; each block is represented by its mean, or by its extreme when that lies 10 % or more away from
/// the mean, on the side farther from a moving average, so a short spike survives. Block values are scaled, quantised
/// into 80 levels and snapped to the running median level when close to it; the last 8 of them and a Haar-wavelet view
/// of their shape feed a fuzzy-ART network with two vigilances (complement coding, fast learning). After the probation,
/// a window that matches no category at the lower vigilance, outside the masking rules, is an anomaly.
/// </summary>
/// <remarks>
/// Causal and bounded, unlike the original, which NAB hands each file's length (probation = 15 % of it, the block size
/// derived from it) and the whole file's minimum and maximum. Here the probation is a count of points, the block size is
/// fixed, the scale is the probation's range widened by half of it on each side (and widened again when a value leaves
/// it), the vigilance starts at the mean best match of the probation's second half (learned at vigilance 0.8) instead of
/// ARTime's batch search over the sorted probation windows, and at most <c>categories</c> categories are kept (a new one
/// replaces the least recently matched). The probation's block values are kept until it ends, so its windows are learned
/// on the same scale as every later one. Not thread-safe.
/// </remarks>
internal sealed class ResonanceDetector
{
    /// <summary>Block values per window (ARTime's 8).</summary>
    public const int Window = 8;

    /// <summary>Most blocks a probation may span (its block values are kept until it ends: 32 KB at most).</summary>
    public const int MaxProbationBlocks = 4096;

    // Features: the window's Haar coefficients and its levels; complement coding doubles them.
    private const int Features = 2 * Window;
    private const int Coded = 2 * Features;
    private const int Levels = 80;

    // |level - median| below this (scaled units) snaps to the median: ARTime's noise "chomp".
    private const double Chomp = 0.075;

    // The probation's range is widened by this share of itself on each side, so later values a little outside it
    // do not all saturate at 0 or 1 (measured on NAB: 0.25-0.6 score alike, 0 scores ~8 points lower).
    private const double RangeMargin = 0.5;

    private const double InitialVigilance = 0.8;
    private const double MaxUpperVigilance = 0.97;

    private readonly int _step;
    private readonly int _trend;
    private readonly int _mask;
    private readonly int _capacity;

    // Scratch, rebuilt every block and never persisted.
    private readonly float[] _input = new float[Coded];
    private readonly double[] _shape = new double[Window];
    private readonly double[] _activation;

    // Persisted state (see Write).
    private int _blockCount;
    private double _blockSum;
    private double _blockMin;
    private double _blockMax;
    private double _movingAverage;
    private double _min;
    private double _max;
    private long _blocks;
    private int _medianLevel;
    private long _belowMedian;
    private long _aboveMedian;
    private readonly int[] _medianBins = new int[Levels + 1];
    private readonly double[] _probationValues;
    private readonly float[] _recent = new float[Window];
    private int _categories;
    private readonly float[] _weights;
    private readonly long[] _lastUsed;
    private double _lowerVigilance = InitialVigilance;
    private double _upperVigilance = InitialVigilance;
    private double _probationSimSum;
    private long _probationSimCount;
    private double _simSum;
    private long _simCount;
    private readonly float[] _simWindow;
    private int _simPosition;
    private readonly float[] _simDiffWindow;
    private int _simDiffPosition;
    private long _lastAnomaly = long.MinValue / 2;
    private double _lastAnomalySim;
    private long _lastVigilanceUpdate;
    private bool _maskAfterCategory;
    private long _noNewCategory;
    private double _anomalySimSum;
    private long _anomalySimCount;
    private double _anomalySimLast;

    // |w| per category, derived from the weights (rebuilt on restore).
    private readonly float[] _sizes;

    /// <summary>Creates an empty detector: probation of <paramref name="probationPoints"/> points, blocks of <paramref name="step"/>, at most <paramref name="categories"/> categories.</summary>
    public ResonanceDetector(int probationPoints, int step, int categories)
    {
        _step = step;
        _trend = Math.Max(2 * Window, probationPoints / step);
        _mask = Window * 3 / 2;
        _capacity = categories;
        _activation = new double[categories];
        _weights = new float[categories * Coded];
        _sizes = new float[categories];
        _lastUsed = new long[categories];
        _probationValues = new double[_trend];
        _simWindow = new float[(_trend / 2) + 1];
        _simDiffWindow = new float[_trend + 1];
        Array.Fill(_simWindow, 1f);
    }

    /// <summary>Categories in use.</summary>
    public int Categories => _categories;

    /// <summary>Bytes <see cref="Write"/> writes.</summary>
    public int SnapshotSize =>
        (4 * 6) + (8 * 22) + (4 * _medianBins.Length) + (8 * _probationValues.Length) + (4 * Window)
        + (4 * _weights.Length) + (8 * _lastUsed.Length) + (4 * _simWindow.Length) + (4 * _simDiffWindow.Length);

    /// <summary>Adds one point; returns the anomaly confidence in (0, 1], or 0 (most points: only a block's last point can score).</summary>
    public double Update(double value)
    {
        if (_blockCount == 0)
        {
            _blockSum = 0;
            _blockMin = value;
            _blockMax = value;
        }

        _blockCount++;
        _blockSum += value;
        _blockMin = Math.Min(_blockMin, value);
        _blockMax = Math.Max(_blockMax, value);
        if (_blocks == 0 && _blockCount == 1)
        {
            _min = value;
            _max = value;
        }

        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        if (_blockCount < _step)
        {
            return 0.0;
        }

        _blockCount = 0;
        _blocks++;
        var mean = _blockSum / _step;
        _movingAverage = _blocks == 1 ? mean : (_movingAverage + mean) / 2;
        var block = Math.Abs(_blockMax - _movingAverage) < Math.Abs(_blockMin - _movingAverage) ? _blockMin : _blockMax;
        if (Math.Abs(block - mean) < 0.1 * Math.Abs(mean))
        {
            block = mean;
        }

        if (_blocks < _trend)
        {
            _probationValues[_blocks - 1] = block;
            return 0.0;
        }

        if (_blocks > _trend)
        {
            return Feed(block, _blocks);
        }

        // End of probation: fix the scale from its range, then learn its windows in order (nothing is reported).
        _probationValues[_trend - 1] = block;
        var margin = (_max - _min) * RangeMargin;
        _min -= margin;
        _max += margin;
        for (var k = 1; k <= _trend; k++)
        {
            Feed(_probationValues[k - 1], k);
        }

        Array.Clear(_probationValues);
        return 0.0;
    }

    /// <summary>
    /// Writes the state (little-endian): int32 points in the block, median level, categories, the two ring positions and
    /// the after-category mask (0/1); then doubles/int64s: block sum, min, max, moving average, scale min and max, blocks,
    /// counts below and above the median, lower and upper vigilance, probation match sum and count, match sum and count,
    /// last anomaly's block, its match, last vigilance update, windows since a new cluster, anomaly match sum, count and
    /// last; then the median histogram (int32), the probation's block values (doubles), the last 8 levels, every
    /// category slot's 32 weights (floats), each slot's last use (int64), and the two match rings (floats).
    /// </summary>
    public int Write(Span<byte> destination)
    {
        var at = 0;
        void I32(Span<byte> d, int v)
        {
            BinaryPrimitives.WriteInt32LittleEndian(d[at..], v);
            at += 4;
        }

        void I64(Span<byte> d, long v)
        {
            BinaryPrimitives.WriteInt64LittleEndian(d[at..], v);
            at += 8;
        }

        void F64(Span<byte> d, double v)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(d[at..], v);
            at += 8;
        }

        void F32(Span<byte> d, float v)
        {
            BinaryPrimitives.WriteSingleLittleEndian(d[at..], v);
            at += 4;
        }

        var b = destination;
        I32(b, _blockCount);
        I32(b, _medianLevel);
        I32(b, _categories);
        I32(b, _simPosition);
        I32(b, _simDiffPosition);
        I32(b, _maskAfterCategory ? 1 : 0);
        F64(b, _blockSum);
        F64(b, _blockMin);
        F64(b, _blockMax);
        F64(b, _movingAverage);
        F64(b, _min);
        F64(b, _max);
        I64(b, _blocks);
        I64(b, _belowMedian);
        I64(b, _aboveMedian);
        F64(b, _lowerVigilance);
        F64(b, _upperVigilance);
        F64(b, _probationSimSum);
        I64(b, _probationSimCount);
        F64(b, _simSum);
        I64(b, _simCount);
        I64(b, _lastAnomaly);
        F64(b, _lastAnomalySim);
        I64(b, _lastVigilanceUpdate);
        I64(b, _noNewCategory);
        F64(b, _anomalySimSum);
        I64(b, _anomalySimCount);
        F64(b, _anomalySimLast);
        foreach (var v in _medianBins)
        {
            I32(b, v);
        }

        foreach (var v in _probationValues)
        {
            F64(b, v);
        }

        foreach (var v in _recent)
        {
            F32(b, v);
        }

        foreach (var v in _weights)
        {
            F32(b, v);
        }

        foreach (var v in _lastUsed)
        {
            I64(b, v);
        }

        foreach (var v in _simWindow)
        {
            F32(b, v);
        }

        foreach (var v in _simDiffWindow)
        {
            F32(b, v);
        }

        return at;
    }

    /// <summary>Reads what <see cref="Write"/> wrote (exactly <see cref="SnapshotSize"/> bytes).</summary>
    /// <exception cref="FormatException">The state is inconsistent with these settings.</exception>
    public void Read(ReadOnlySpan<byte> source)
    {
        var at = 0;
        int I32(ReadOnlySpan<byte> s)
        {
            at += 4;
            return BinaryPrimitives.ReadInt32LittleEndian(s[(at - 4)..]);
        }

        long I64(ReadOnlySpan<byte> s)
        {
            at += 8;
            return BinaryPrimitives.ReadInt64LittleEndian(s[(at - 8)..]);
        }

        double F64(ReadOnlySpan<byte> s)
        {
            at += 8;
            return BinaryPrimitives.ReadDoubleLittleEndian(s[(at - 8)..]);
        }

        float F32(ReadOnlySpan<byte> s)
        {
            at += 4;
            return BinaryPrimitives.ReadSingleLittleEndian(s[(at - 4)..]);
        }

        var b = source;
        _blockCount = I32(b);
        _medianLevel = I32(b);
        _categories = I32(b);
        _simPosition = I32(b);
        _simDiffPosition = I32(b);
        _maskAfterCategory = I32(b) != 0;
        if (_blockCount < 0 || _blockCount >= _step || _medianLevel is < 0 or > Levels || _categories < 0 || _categories > _capacity
            || _simPosition < 0 || _simPosition >= _simWindow.Length || _simDiffPosition < 0 || _simDiffPosition >= _simDiffWindow.Length)
        {
            throw new FormatException($"The snapshot's resonance state is inconsistent ({_blockCount} points in the block, median level {_medianLevel}, {_categories} categories).");
        }

        _blockSum = F64(b);
        _blockMin = F64(b);
        _blockMax = F64(b);
        _movingAverage = F64(b);
        _min = F64(b);
        _max = F64(b);
        _blocks = I64(b);
        _belowMedian = I64(b);
        _aboveMedian = I64(b);
        _lowerVigilance = F64(b);
        _upperVigilance = F64(b);
        _probationSimSum = F64(b);
        _probationSimCount = I64(b);
        _simSum = F64(b);
        _simCount = I64(b);
        _lastAnomaly = I64(b);
        _lastAnomalySim = F64(b);
        _lastVigilanceUpdate = I64(b);
        _noNewCategory = I64(b);
        _anomalySimSum = F64(b);
        _anomalySimCount = I64(b);
        _anomalySimLast = F64(b);
        if (_blocks < 0 || _simCount < 0 || _anomalySimCount < 0)
        {
            throw new FormatException($"The snapshot's resonance state is inconsistent ({_blocks} blocks, {_simCount} matches, {_anomalySimCount} anomalies).");
        }

        for (var k = 0; k < _medianBins.Length; k++)
        {
            _medianBins[k] = I32(b);
        }

        for (var k = 0; k < _probationValues.Length; k++)
        {
            _probationValues[k] = F64(b);
        }

        for (var k = 0; k < _recent.Length; k++)
        {
            _recent[k] = F32(b);
        }

        for (var k = 0; k < _weights.Length; k++)
        {
            _weights[k] = F32(b);
        }

        for (var k = 0; k < _lastUsed.Length; k++)
        {
            _lastUsed[k] = I64(b);
        }

        for (var k = 0; k < _simWindow.Length; k++)
        {
            _simWindow[k] = F32(b);
        }

        for (var k = 0; k < _simDiffWindow.Length; k++)
        {
            _simDiffWindow[k] = F32(b);
        }

        for (var j = 0; j < _capacity; j++)
        {
            var size = 0f;
            for (var d = 0; d < Coded; d++)
            {
                size += _weights[(j * Coded) + d];
            }

            _sizes[j] = size;
        }
    }

    private double Feed(double block, long i)
    {
        var range = _max - _min;
        var scaled = range > 1e-12 ? Math.Clamp((block - _min) / range, 0.0, 1.0) : 0.5;
        var level = (int)Math.Round(scaled * Levels);
        var ds = (double)level / Levels;
        TrackMedian(level, i);
        var median = (double)_medianLevel / Levels;
        if (Math.Abs(ds - median) < Chomp)
        {
            ds = median;
        }

        Array.Copy(_recent, 1, _recent, 0, Window - 1);
        _recent[Window - 1] = (float)ds;
        if (i < Window)
        {
            return 0.0;
        }

        BuildInput();
        return Detect(i);
    }

    // Approximate running median of the levels (ARTime's): a histogram and a pointer that moves one occupied bin at a
    // time when the count on one side passes half of all blocks.
    private void TrackMedian(int level, long blocks)
    {
        _medianBins[level]++;
        if (blocks == 1)
        {
            _medianLevel = level;
        }

        if (_medianLevel > level)
        {
            _belowMedian++;
        }
        else if (_medianLevel < level)
        {
            _aboveMedian++;
        }

        var half = blocks / 2;
        if (half < _aboveMedian)
        {
            _belowMedian += _medianBins[_medianLevel];
            _medianLevel++;
            while (_medianLevel < Levels && _medianBins[_medianLevel] == 0)
            {
                _medianLevel++;
            }

            _aboveMedian -= _medianBins[_medianLevel];
        }
        else if (half < _belowMedian)
        {
            _aboveMedian += _medianBins[_medianLevel];
            _medianLevel--;
            while (_medianLevel > 0 && _medianBins[_medianLevel] == 0)
            {
                _medianLevel--;
            }

            _belowMedian -= _medianBins[_medianLevel];
        }
    }

    // Features: the window's shape (its levels scaled to [0,1], Haar-transformed, coefficients scaled to [0,1]) and
    // its levels themselves, complement coded.
    private void BuildInput()
    {
        var w = _shape;
        for (var i = 0; i < Window; i++)
        {
            w[i] = _recent[i];
        }

        Normalise(w);
        const double r = 0.70710678118654752;
        double a0 = (w[0] + w[1]) * r, a1 = (w[2] + w[3]) * r, a2 = (w[4] + w[5]) * r, a3 = (w[6] + w[7]) * r;
        double d4 = (w[0] - w[1]) * r, d5 = (w[2] - w[3]) * r, d6 = (w[4] - w[5]) * r, d7 = (w[6] - w[7]) * r;
        double b0 = (a0 + a1) * r, b1 = (a2 + a3) * r;
        w[0] = (b0 + b1) * r;
        w[1] = (b0 - b1) * r;
        w[2] = (a0 - a1) * r;
        w[3] = (a2 - a3) * r;
        w[4] = d4;
        w[5] = d5;
        w[6] = d6;
        w[7] = d7;
        Normalise(w);
        for (var i = 0; i < Window; i++)
        {
            _input[i] = (float)w[i];
            _input[Window + i] = _recent[i];
        }

        for (var i = 0; i < Features; i++)
        {
            _input[Features + i] = 1f - _input[i];
        }
    }

    private static void Normalise(double[] w)
    {
        var lo = double.MaxValue;
        var hi = double.MinValue;
        foreach (var v in w)
        {
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }

        var span = hi - lo;
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = span != 0 ? (w[i] - lo) / span : w[i] - lo;
        }
    }

    private double Detect(long i)
    {
        var best = Learn(i, out var bestEnergy, out var newCluster);
        var probation = i <= _trend;
        if (!probation && _maskAfterCategory && i > _trend + _mask && _noNewCategory >= _mask)
        {
            _maskAfterCategory = false;
        }

        _noNewCategory = newCluster ? 0 : _noNewCategory + 1;
        _simSum += best;
        _simCount++;
        if (probation && i > _trend / 2)
        {
            _probationSimSum += best;
            _probationSimCount++;
        }

        _simWindow[_simPosition] = (float)best;
        _simPosition = _simPosition + 1 == _simWindow.Length ? 0 : _simPosition + 1;
        _simDiffWindow[_simDiffPosition] = (float)(_upperVigilance - best);
        _simDiffPosition = _simDiffPosition + 1 == _simDiffWindow.Length ? 0 : _simDiffPosition + 1;

        // While an anomaly's mask lasts, its recorded match follows the worst window of the episode.
        var sinceAnomaly = i - _lastAnomaly;
        if (sinceAnomaly < _mask && _anomalySimCount > 0 && best < _anomalySimLast)
        {
            _anomalySimSum += best - _anomalySimLast;
            _anomalySimLast = best;
        }

        // Masking (ARTime's): right after an anomaly, and after a new cluster or a vigilance change until 12 windows
        // in a row found a category, a mismatch counts only when it matches clearly worse than the last anomaly did.
        var maskAfterAnomaly = sinceAnomaly <= _mask;
        var masking = _maskAfterCategory || maskAfterAnomaly;
        var belowLast = best < _lastAnomalySim * (maskAfterAnomaly ? 0.90 : 0.70);
        var score = 0.0;
        if (!probation && newCluster && (!masking || belowLast))
        {
            score = Confidence(best, bestEnergy);
            _anomalySimSum += best;
            _anomalySimCount++;
            _anomalySimLast = best;
            _lastAnomalySim = best;
            _lastAnomaly = i;
        }

        _maskAfterCategory |= newCluster;
        if (probation)
        {
            if (i == _trend && _probationSimCount > 0)
            {
                _lowerVigilance = _upperVigilance = _probationSimSum / _probationSimCount;
            }
        }
        else if (i - _lastAnomaly == _mask || i - _lastVigilanceUpdate >= _trend / 2)
        {
            AdaptVigilance(i);
        }

        return score;
    }

    // Scores the window in _input against every category and learns it (one step of dual-vigilance fuzzy ART);
    // returns the best match.
    private double Learn(long i, out double bestEnergy, out bool newCluster)
    {
        var best = 0.0;
        bestEnergy = 0.0;
        for (var j = 0; j < _categories; j++)
        {
            var m = Activation(j, out var energy);
            _activation[j] = m;
            if (m > best)
            {
                best = m;
                bestEnergy = energy;
            }
        }

        // Every category resonating at the upper vigilance learns the window (fast learning: its box grows to hold it).
        var learnedAny = false;
        for (var j = 0; j < _categories && best >= _upperVigilance; j++)
        {
            if (_activation[j] >= _upperVigilance)
            {
                var size = 0f;
                var o = j * Coded;
                for (var d = 0; d < Coded; d++)
                {
                    var v = Math.Min(_input[d], _weights[o + d]);
                    _weights[o + d] = v;
                    size += v;
                }

                _sizes[j] = size;
                _lastUsed[j] = i;
                learnedAny = true;
            }
        }

        // Otherwise the window becomes a category of its own: of a known cluster when it matched one at the lower
        // vigilance, of a new cluster (a candidate anomaly) when not.
        newCluster = false;
        if (!learnedAny)
        {
            newCluster = best < _lowerVigilance;
            Commit(i);
        }

        return best;
    }

    // (|I ∧ w| / |w|)^3 × energy^2, where the energy similarity compares only the newest level (and its complement):
    // shape and level must fit, and the newest value most of all.
    private double Activation(int j, out double energy)
    {
        var o = j * Coded;
        var overlap = 0f;
        for (var d = 0; d < Coded; d++)
        {
            overlap += Math.Min(_input[d], _weights[o + d]);
        }

        var size = _sizes[j];
        var featureSim = overlap / (size > 0 ? size : 0.001);
        const int newest = Features - 1;
        const int newestComplement = Coded - 1;
        var we = _weights[o + newest] + _weights[o + newestComplement];
        energy = we > 0 ? (Math.Min(_input[newest], _weights[o + newest]) + Math.Min(_input[newestComplement], _weights[o + newestComplement])) / we : 0.0;
        return featureSim * featureSim * featureSim * energy * energy;
    }

    private void Commit(long now)
    {
        int slot;
        if (_categories < _capacity)
        {
            slot = _categories++;
        }
        else
        {
            slot = 0;
            for (var j = 1; j < _capacity; j++)
            {
                if (_lastUsed[j] < _lastUsed[slot])
                {
                    slot = j;
                }
            }
        }

        var size = 0f;
        var o = slot * Coded;
        for (var d = 0; d < Coded; d++)
        {
            _weights[o + d] = _input[d];
            size += _input[d];
        }

        _sizes[slot] = size;
        _lastUsed[slot] = now;
    }

    // ARTime's vigilance rule: the upper vigilance is the mean best match so far (at most 0.97); the lower one climbs a
    // fifth of the way towards the worst recent match when all recent windows matched above it, and otherwise drops by
    // half the typical shortfall below the upper one, but not below the mean match of past anomalies.
    private void AdaptVigilance(long i)
    {
        var minSim = double.MaxValue;
        foreach (var s in _simWindow)
        {
            minSim = Math.Min(minSim, s);
        }

        var upper = Math.Min(MaxUpperVigilance, _simSum / _simCount);
        var lower = _lowerVigilance;
        if (lower <= minSim)
        {
            lower += (minSim - lower) * 0.19;
        }
        else
        {
            var decrease = 0.0;
            if (i > 2 * _trend)
            {
                var sum = 0.0;
                var n = 0;
                foreach (var d in _simDiffWindow)
                {
                    if (d > 0.05)
                    {
                        sum += Math.Min(0.37, d);
                        n++;
                    }
                }

                decrease = n > 0 ? sum / n : 0.0;
            }

            lower -= Math.Max(0.01, decrease) / 2;
            if (_anomalySimCount > 0)
            {
                lower = Math.Max(_anomalySimSum / _anomalySimCount, lower);
            }
        }

        _lowerVigilance = Math.Min(upper, lower);
        _upperVigilance = upper;
        _lastVigilanceUpdate = i;
        _maskAfterCategory = true;
    }

    // How far below both vigilances the best match lies, relative to its distance from a perfect match, plus how far the
    // newest level is from the best category's (ARTime's weights).
    private double Confidence(double sim, double energy)
    {
        sim = Math.Min(0.999, sim);
        var ub = (_upperVigilance - sim) / (1 - sim);
        var lb = (_lowerVigilance - sim) / (1 - sim);
        return Math.Clamp((ub * 0.35) + (lb * 0.65) + ((1.0 - energy) * 1.5), 0.0, 1.0);
    }
}
