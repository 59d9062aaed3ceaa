using System.Buffers.Binary;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// A streaming, causal anomaly detector for one metric series. Each <see cref="Update(long, double)"/> sees one point,
/// returns a score in [0,1] computed from the past only, then learns the point.
/// </summary>
/// <remarks>
/// Six surprise signals are computed per point: novelty (how far the value leaves the range seen so
/// far), a spike z-score against a long EWMA baseline, a level-shift z-score (short mean vs long mean),
/// a seasonal residual against a time-of-day profile, a z-score of the first difference, and how far the
/// shape of the last few values lies from every shape remembered (<see cref="WindowPatternMemory"/>,
/// after ARTime's adaptive resonance). Each goes
/// through its own likelihood layer (<see cref="SurpriseLikelihood"/>); the score is the largest. A
/// score below <see cref="AnomalyDetectorOptions.FireThreshold"/> is reported as 0, and after a
/// detection the detector stays quiet for <see cref="AnomalyDetectorOptions.SuppressPoints"/> points,
/// so an episode raises one alert, at its start. Once the time-of-day profile explains the series
/// (<see cref="AnomalyDetectorOptions.SeasonalExplainedSpread"/>), a point it predicts well
/// (<see cref="AnomalyDetectorOptions.SeasonalExplainedZ"/>) does not fire: a daily square wave's edges are expected.
/// In <see cref="AnomalyDetectorMode.Resonance"/> mode none of this runs: ARTime's approach scores the series instead
/// (<see cref="ResonanceDetector"/>, about 11 KB of state per series at the defaults).
/// State is a fixed set of numbers plus one per seasonal bin and the window memory (under 2 KB at the defaults); an update
/// costs constant work and allocates nothing. <see cref="WriteSnapshot"/> and
/// <see cref="Restore(AnomalyDetectorOptions?, ReadOnlySpan{byte})"/> persist it.
/// Not thread-safe: one detector per series, driven by one shard.
/// </remarks>
public sealed class AnomalyDetector
{
    private const int Signals = 6;

    // Format 1 had the first five signals and no window memory (still read, see Restore); format 2 added it and is
    // still what the surprise mode writes; format 3 is the resonance mode's.
    private const int SignalsV1 = 5;
    private const uint Magic = 0x44415041; // "APAD" little-endian
    private const int FormatVersion = 3;
    private const int SurpriseFormatVersion = 2;
    private const long NanosPerDay = 86_400L * 1_000_000_000L;

    private readonly AnomalyDetectorOptions _options;
    private readonly double[] _seasonal;
    // Inline in the detector (not an array of its own): a point updates every signal's likelihood, and with the state of
    // thousands of series cycling through the cache that array was one more object to miss on, behind one more load.
    private Likelihoods _likelihood;
    private long _count;
    private double _min;
    private double _max;
    private double _previous;
    private Ewm _long;
    private Ewm _short;
    private Ewm _seasonalResidual;
    private Ewm _difference;
    private int _suppressed;
    // A struct inside the detector (its arrays in one, see WindowPatternMemory); not in use when the signal is off.
    private WindowPatternMemory _patterns;
    private readonly ResonanceDetector? _resonance;

    // Likelihood z below which no signal can reach the fire level (see SurpriseLikelihood.ZBelow).
    private readonly double _zFloor;

    /// <summary>Creates a detector; <paramref name="options"/> are validated and must not change afterwards.</summary>
    public AnomalyDetector(AnomalyDetectorOptions? options = null)
    {
        _options = options ?? new AnomalyDetectorOptions();
        _options.Validate();
        _seasonal = new double[_options.SeasonalBins];
        Array.Fill(_seasonal, double.NaN);
        _zFloor = SurpriseLikelihood.ZBelow(_options.FireThreshold);
        if (_options.Mode == AnomalyDetectorMode.Resonance)
        {
            _resonance = new ResonanceDetector(_options.ResonanceProbationPoints, _options.ResonanceStep, _options.ResonanceCategories);
        }
        else if (_options.PatternWindow > 0)
        {
            _patterns = new WindowPatternMemory(_options.PatternWindow, _options.PatternCategories, _options.PatternVigilance, _options.PatternLearningRate);
        }
    }

    /// <summary>Points learned so far (non-finite values are not counted).</summary>
    public long Count => _count;

    /// <summary>Bytes <see cref="WriteSnapshot"/> writes.</summary>
    public int SnapshotSize => _resonance is { } r ? HeaderSize + 8 + r.SnapshotSize : SizeV1 + (8 * 4) + (_patterns.InUse ? _patterns.SnapshotSize : 0);

    private int SizeV1 => HeaderSize + (8 * FixedDoubles) + (8 * _seasonal.Length) + (SignalsV1 * 8 * 4);

    private const int HeaderSize = 4 + 4 + 4;
    private const int FixedDoubles = 4 + (4 * 3) + 1;

    /// <summary>
    /// Scores the point at <paramref name="timeUnixNano"/> (event time, used for the time-of-day profile)
    /// with value <paramref name="value"/> against the past, then learns it. A NaN or infinite value
    /// scores 0 and is not learned.
    /// </summary>
    public double Update(long timeUnixNano, double value)
    {
        if (!double.IsFinite(value))
        {
            return 0.0;
        }

        if (_resonance is null)
        {
            return UpdateSurprise(timeUnixNano, value);
        }

        _count++;
        return _resonance.Update(value);
    }

    private double UpdateSurprise(long timeUnixNano, double value)
    {
        var o = _options;
        _count++;
        if (_count == 1)
        {
            _min = value;
            _max = value;
        }

        var range = Math.Max(_max - _min, 1e-9);
        var floor = (o.ScaleFloor * range) + 1e-9;
        var novelty = _count > 1 ? Math.Max(0.0, Math.Max(value - _max, _min - value)) / range : 0.0;

        var spike = _long.Z(value, floor);
        _short.Add(value, o.ShortAlpha);
        var level = _long.Count > 2 ? Math.Abs(_short.Mean - _long.Mean) / (_long.StdDev + floor) : 0.0;
        _long.Add(value, o.LongAlpha);

        var seasonal = 0.0;
        var explained = false;
        var bin = SeasonalBin(timeUnixNano);
        if (double.IsNaN(_seasonal[bin]))
        {
            _seasonal[bin] = value;
        }
        else
        {
            var residual = value - _seasonal[bin];
            if (_seasonalResidual.Count > _seasonal.Length)
            {
                seasonal = _seasonalResidual.Z(residual, floor);
                explained = o.SeasonalExplainedZ > 0
                    && _seasonalResidual.StdDev < o.SeasonalExplainedSpread * _long.StdDev
                    && Math.Abs(residual) <= o.SeasonalExplainedZ * (_seasonalResidual.StdDev + floor);
            }

            _seasonalResidual.Add(residual, o.LongAlpha);
            _seasonal[bin] += o.SeasonalAlpha * residual;
        }

        var difference = 0.0;
        if (_count > 1)
        {
            var d = value - _previous;
            difference = _difference.Z(d, floor);
            _difference.Add(d, o.LongAlpha);
        }

        // The window memory sees values scaled by the range known before this point, so a new extreme
        // saturates at 0 or 1 instead of rescaling the window it belongs to.
        var pattern = 0.0;
        if (_patterns.InUse)
        {
            var scaled = _max - _min > 1e-9 ? Math.Clamp((value - _min) / (_max - _min), 0.0, 1.0) : 0.5;
            pattern = _patterns.Learn((float)scaled, _count);
        }

        _previous = value;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);

        var score = Likelihood(0, Math.Min(novelty * o.NoveltyGain, 1.0));
        score = Math.Max(score, Likelihood(1, Surprise(spike)));
        score = Math.Max(score, Likelihood(2, Surprise(level)));
        score = Math.Max(score, Likelihood(3, Surprise(seasonal)));
        score = Math.Max(score, Likelihood(4, Surprise(difference)));
        if (_patterns.InUse)
        {
            score = Math.Max(score, Likelihood(5, Math.Min(pattern * o.PatternGain, 1.0)));
        }

        if (_count < o.WarmupPoints)
        {
            return 0.0;
        }

        if (_suppressed > 0)
        {
            _suppressed--;
            return 0.0;
        }

        if (score >= o.FireThreshold && !explained)
        {
            _suppressed = o.SuppressPoints;
            return score;
        }

        return 0.0;
    }

    /// <summary>Convenience overload: <paramref name="timestamp"/> is taken as UTC when unspecified.</summary>
    public double Update(DateTime timestamp, double value)
    {
        var utc = timestamp.Kind == DateTimeKind.Local ? timestamp.ToUniversalTime() : timestamp;
        return Update((utc.Ticks - DateTime.UnixEpoch.Ticks) * 100L, value);
    }

    /// <summary>
    /// Writes the state to <paramref name="destination"/> (at least <see cref="SnapshotSize"/> bytes) and
    /// returns the bytes written. Format (little-endian): magic "APAD", int32 version (2 in the surprise mode, 3 in
    /// <see cref="AnomalyDetectorMode.Resonance"/> mode), int32 seasonal bins (0 in resonance mode), int64 count; in
    /// resonance mode the resonance network's state follows (see ResonanceDetector.Write) and nothing else. Otherwise
    /// doubles: min, max, previous, suppression countdown, four (mean, variance,
    /// count) baselines, the seasonal bins (NaN = unseen), per surprise signal (mean, variance,
    /// count, recent) for the five signals of version 1 and then the window-pattern signal, and, when
    /// <see cref="AnomalyDetectorOptions.PatternWindow"/> is above 0, the window memory: int32 categories
    /// in use, int32 ring position, int64 values seen, the ring and the category weights (floats; for
    /// each of the 2 × window input positions, every category's weight), and each category's last use (int64).
    /// </summary>
    public int WriteSnapshot(Span<byte> destination)
    {
        if (destination.Length < SnapshotSize)
        {
            throw new ArgumentException($"The snapshot needs {SnapshotSize} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        var w = new SnapshotWriter(destination);
        w.UInt32(Magic);
        w.Int32(_resonance is null ? SurpriseFormatVersion : FormatVersion);
        w.Int32(_resonance is null ? _seasonal.Length : 0);
        w.Int64(_count);
        if (_resonance is { } resonance)
        {
            return w.Written + resonance.Write(destination[w.Written..]);
        }

        w.Double(_min);
        w.Double(_max);
        w.Double(_previous);
        w.Int64(_suppressed);
        w.Ewm(_long);
        w.Ewm(_short);
        w.Ewm(_seasonalResidual);
        w.Ewm(_difference);
        foreach (var s in _seasonal)
        {
            w.Double(s);
        }

        foreach (var l in _likelihood)
        {
            w.Ewm(l.LongRun);
            w.Double(l.Recent);
        }

        if (_patterns.InUse)
        {
            ref readonly var p = ref _patterns;
            w.Int32(p.Categories);
            w.Int32(p.Position);
            w.Int64(p.Seen);
            foreach (var v in p.Ring)
            {
                w.Single(v);
            }

            for (var i = 0; i < p.WeightCount; i++)
            {
                w.Single(p.GetWeight(i));
            }

            foreach (var v in p.LastUsed)
            {
                w.Int64(v);
            }
        }

        return w.Written;
    }

    /// <summary>The state as a new byte array (see <see cref="WriteSnapshot"/> for the format).</summary>
    public byte[] ToSnapshot()
    {
        var bytes = new byte[SnapshotSize];
        WriteSnapshot(bytes);
        return bytes;
    }

    /// <summary>
    /// Rebuilds a detector from a snapshot written as an <c>int32</c> length and the bytes of <see cref="WriteSnapshot"/>,
    /// read through <paramref name="scratch"/> when it is large enough (an engine restoring thousands of series then
    /// allocates no array per series), otherwise into an array of its own.
    /// </summary>
    /// <exception cref="InvalidDataException">The length is negative.</exception>
    /// <exception cref="EndOfStreamException">The reader ends before the snapshot does.</exception>
    internal static AnomalyDetector Restore(AnomalyDetectorOptions? options, BinaryReader reader, byte[] scratch)
    {
        var n = reader.ReadInt32();
        if (n < 0)
        {
            throw new InvalidDataException($"An anomaly detector snapshot's length is {n}.");
        }

        var bytes = n <= scratch.Length ? scratch.AsSpan(0, n) : new byte[n];
        reader.BaseStream.ReadExactly(bytes);
        return Restore(options, bytes);
    }

    /// <summary>
    /// Rebuilds a detector from <paramref name="snapshot"/>; it then scores exactly as the detector that
    /// wrote the snapshot would have. <paramref name="options"/> must be the options that detector used.
    /// A version 1 snapshot (written before the window-pattern signal) is read too: its state carries over
    /// and the window memory and its likelihood start empty, as on a new series. Versions 1 and 2 restore only into the
    /// surprise mode, version 3 only into the resonance mode.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not a snapshot of this format or do not match <paramref name="options"/>.</exception>
    public static AnomalyDetector Restore(AnomalyDetectorOptions? options, ReadOnlySpan<byte> snapshot)
    {
        var detector = new AnomalyDetector(options);
        if (snapshot.Length < HeaderSize)
        {
            throw new FormatException($"An anomaly detector snapshot has at least {HeaderSize} bytes; got {snapshot.Length}.");
        }

        var r = new SnapshotReader(snapshot);
        var magic = r.UInt32();
        var version = r.Int32();
        if (magic != Magic || version is < 1 or > FormatVersion)
        {
            throw new FormatException($"Not an anomaly detector snapshot of format version 1 to {FormatVersion}.");
        }

        var bins = r.Int32();
        var expected = version == 1 ? detector.SizeV1 : detector.SnapshotSize;
        var expectedBins = detector._resonance is null ? detector._seasonal.Length : 0;
        if (bins != expectedBins || snapshot.Length != expected || (version == FormatVersion) != (detector._resonance is not null))
        {
            throw new FormatException($"The snapshot (version {version}) was written with {bins} seasonal bins (0: resonance mode) and {snapshot.Length} bytes; these options (mode {detector._options.Mode}) need {expectedBins} bins and {expected} bytes.");
        }

        detector._count = r.Int64();
        if (detector._resonance is { } resonance)
        {
            resonance.Read(snapshot[(HeaderSize + 8)..]);
            return detector;
        }

        detector._min = r.Double();
        detector._max = r.Double();
        detector._previous = r.Double();
        detector._suppressed = (int)Math.Clamp(r.Int64(), 0, int.MaxValue);
        detector._long = r.Ewm();
        detector._short = r.Ewm();
        detector._seasonalResidual = r.Ewm();
        detector._difference = r.Ewm();
        for (var i = 0; i < detector._seasonal.Length; i++)
        {
            detector._seasonal[i] = r.Double();
        }

        for (var i = 0; i < (version == 1 ? SignalsV1 : Signals); i++)
        {
            detector._likelihood[i].LongRun = r.Ewm();
            detector._likelihood[i].Recent = r.Double();
        }

        if (version > 1 && detector._patterns.InUse)
        {
            ref var p = ref detector._patterns;
            p.Categories = r.Int32();
            p.Position = r.Int32();
            p.Seen = r.Int64();
            if (p.Categories < 0 || p.Categories > p.LastUsed.Length || p.Position < 0 || p.Position >= p.Ring.Length || p.Seen < 0)
            {
                throw new FormatException($"The snapshot's window memory is inconsistent ({p.Categories} categories, ring position {p.Position}, {p.Seen} values seen).");
            }

            for (var i = 0; i < p.Ring.Length; i++)
            {
                p.Ring[i] = r.Single();
            }

            for (var i = 0; i < p.WeightCount; i++)
            {
                p.SetWeight(i, r.Single());
            }

            for (var i = 0; i < p.LastUsed.Length; i++)
            {
                p.LastUsed[i] = r.Int64();
            }

            p.Restored();
        }

        return detector;
    }

    private int SeasonalBin(long timeUnixNano)
    {
        var ofDay = timeUnixNano % NanosPerDay;
        if (ofDay < 0)
        {
            ofDay += NanosPerDay;
        }

        return (int)(ofDay * (double)_seasonal.Length / NanosPerDay);
    }

    private double Surprise(double z) => 1.0 - Math.Exp(-z / _options.SurpriseScale);

    private double Likelihood(int signal, double surprise) =>
        _likelihood[signal].Update(surprise, _options.LikelihoodShortAlpha, _options.LikelihoodLongAlpha, _options.LikelihoodMinSamples, _options.LikelihoodMinStdDev, _zFloor);

    [System.Runtime.CompilerServices.InlineArray(Signals)]
    private struct Likelihoods
    {
        private SurpriseLikelihood _first;
    }

    private ref struct SnapshotWriter(Span<byte> destination)
    {
        private readonly Span<byte> _destination = destination;

        public int Written { get; private set; }

        public void UInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_destination[Written..], value);
            Written += 4;
        }

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_destination[Written..], value);
            Written += 4;
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_destination[Written..], value);
            Written += 8;
        }

        public void Double(double value)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(_destination[Written..], value);
            Written += 8;
        }

        public void Single(float value)
        {
            BinaryPrimitives.WriteSingleLittleEndian(_destination[Written..], value);
            Written += 4;
        }

        public void Ewm(Ewm value)
        {
            Double(value.Mean);
            Double(value.Variance);
            Int64(value.Count);
        }
    }

    private ref struct SnapshotReader(ReadOnlySpan<byte> source)
    {
        private readonly ReadOnlySpan<byte> _source = source;
        private int _read;

        public uint UInt32()
        {
            var v = BinaryPrimitives.ReadUInt32LittleEndian(_source[_read..]);
            _read += 4;
            return v;
        }

        public int Int32()
        {
            var v = BinaryPrimitives.ReadInt32LittleEndian(_source[_read..]);
            _read += 4;
            return v;
        }

        public long Int64()
        {
            var v = BinaryPrimitives.ReadInt64LittleEndian(_source[_read..]);
            _read += 8;
            return v;
        }

        public double Double()
        {
            var v = BinaryPrimitives.ReadDoubleLittleEndian(_source[_read..]);
            _read += 8;
            return v;
        }

        public float Single()
        {
            var v = BinaryPrimitives.ReadSingleLittleEndian(_source[_read..]);
            _read += 4;
            return v;
        }

        public Ewm Ewm() => new() { Mean = Double(), Variance = Double(), Count = Int64() };
    }
}
