using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Span latency percentiles per service URN (and per operation, the span name, when
/// <see cref="LatencyAnomalyOptions.PerOperation"/>) over tumbling event-time windows. Durations go into
/// a fixed-size quantile sketch; when the watermark passes a window's end, a window with at least
/// <see cref="LatencyAnomalyOptions.MinSpans"/> spans yields p50/p95/p99 and its p99 is fed to the
/// series' <see cref="AnomalyDetector"/>. A detection above the recent p99 baseline (a regression, not
/// an improvement) becomes an <c>anomaly.latency</c> finding for that window.
/// </summary>
public sealed class LatencyAnomalyEngine : Engine
{
    internal const string Kind = "anomaly.latency";
    private const int StateVersion = 1;
    private const int MaxOpenWindows = 4;
    private const int MinPooledSketches = 64;
    private const double BaselineAlpha = 0.05;

    private readonly LatencyAnomalyOptions _options;
    private readonly long _window;
    private readonly LruMap<Series> _series;
    private readonly KeyBuilder _key = new();

    // Service series by URN slot in front of the LRU map; evicted series are flagged and never followed.
    private readonly UrnCache<Series> _services = new();
    private readonly Stack<QuantileSketch> _pool = new();
    private readonly byte[] _snapshotBuffer;
    private readonly int _maxPooledSketches;

    // No open window starts before this (a lower bound; long.MinValue after a restore). Windows are aligned to the
    // window length, so until the watermark passes its end no window can close and the sweep is skipped.
    private long _earliestStart = long.MaxValue;

    public LatencyAnomalyEngine(AnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Latency;
        _window = _options.Window.Ticks * 100;
        _series = new LruMap<Series>(_options.MaxSeries);

        // Every series closes its window at about the same watermark and opens the next one right after, so
        // the pool must hold one sketch per series or each window would allocate them all again (160 bytes each, 2.8 KB with
        // the counters of a window that had more than 48 spans).
        // Live plus pooled sketches stay within MaxSeries × (MaxOpenWindows + 1).
        _maxPooledSketches = Math.Max(MinPooledSketches, _options.MaxSeries);
        _snapshotBuffer = new byte[new AnomalyDetector(_options.Detector).SnapshotSize];
    }

    public override string Name => "anomaly.latency";

    public override bool Handles(SignalKind kind) => kind == SignalKind.Span;

    /// <summary>Series currently kept.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>Series evicted so far to stay within the cap.</summary>
    public long EvictedSeries => _series.Evicted;

    /// <inheritdoc/>
    public override long Evictions => _series.Evicted;

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (signal.Kind != SignalKind.Span || signal.TimeUnixNano <= 0 || !double.IsFinite(signal.Value))
        {
            return;
        }

        var start = signal.TimeUnixNano - (signal.TimeUnixNano % _window);
        if (start + _window <= context.Watermark)
        {
            return; // late: that window was already judged
        }

        var bucket = QuantileSketch.BucketOf(signal.Value);
        var service = GetService(signal, context.SlotOf(signal.Urn));
        Add(service, start, signal.Value, bucket);
        if (_options.PerOperation)
        {
            Add(GetOperation(service, signal), start, signal.Value, bucket);
        }
    }

    public override void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_earliestStart > watermarkUnixNano - _window)
        {
            return; // no window has ended yet
        }

        var earliest = long.MaxValue;
        for (var node = _series.Oldest; node != LruMap<Series>.None; node = _series.Newer(node))
        {
            var series = _series.ValueAt(node);
            while (series.WindowCount > 0)
            {
                var at = 0;
                for (var i = 1; i < series.WindowCount; i++)
                {
                    if (series.WindowAt(i).Start < series.WindowAt(at).Start)
                    {
                        at = i;
                    }
                }

                var w = series.WindowAt(at);
                if (w.Start + _window > watermarkUnixNano)
                {
                    earliest = Math.Min(earliest, w.Start);
                    break;
                }

                series.RemoveWindowAt(at);
                Judge(series, w.Start, w.Sketch, context);
                Return(w.Sketch);
            }
        }

        _earliestStart = earliest;
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateVersion);
        _series.Write(writer, (w, s) =>
        {
            w.Write(s.Urn);
            w.Write(s.Operation ?? string.Empty);
            w.Write(s.Operation is not null);
            w.Write(s.Baseline.Mean);
            w.Write(s.Baseline.Variance);
            w.Write(s.Baseline.Count);
            var n = s.Detector.WriteSnapshot(_snapshotBuffer);
            w.Write(n);
            w.Write(_snapshotBuffer, 0, n);
            w.Write(s.WindowCount);
            for (var i = 0; i < s.WindowCount; i++)
            {
                var window = s.WindowAt(i);
                w.Write(window.Start);
                window.Sketch.Write(w);
            }
        });
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var version = reader.ReadInt32();
        if (version != StateVersion)
        {
            throw new InvalidDataException($"anomaly.latency state version {version} is not supported (expected {StateVersion}).");
        }

        _series.Read(reader, (r, _) =>
        {
            var urn = r.ReadString();
            var operation = r.ReadString();
            var hasOperation = r.ReadBoolean();
            var baseline = new Ewm { Mean = r.ReadDouble(), Variance = r.ReadDouble(), Count = r.ReadInt64() };
            var detector = AnomalyDetector.Restore(_options.Detector, r, _snapshotBuffer);
            var series = new Series(urn, hasOperation ? operation : null, detector) { Baseline = baseline };
            var windows = r.ReadInt32();
            if (windows is < 0 or > MaxOpenWindows)
            {
                throw new InvalidDataException($"anomaly.latency series has {windows} open windows (at most {MaxOpenWindows}).");
            }

            for (var i = 0; i < windows; i++)
            {
                var start = r.ReadInt64();
                var sketch = Rent();
                sketch.Read(r);
                series.AddWindow(new OpenWindow(start, sketch));
            }

            return series;
        });
        for (var node = _series.Oldest; node != LruMap<Series>.None; node = _series.Newer(node))
        {
            _series.ValueAt(node).Slot = node;
        }

        _services.Clear();

        _earliestStart = long.MinValue; // the first watermark looks at everything restored
    }

    private Series GetService(in Signal signal, int slot)
    {
        // The service key is the URN itself (cut as KeyBuilder cuts it): looked up and kept without a copy.
        var urn = signal.Urn;
        if (_services.TryGet(slot, urn, out var series) && !series.Evicted)
        {
            _series.Touch(series.Slot);
            return series;
        }

        if (!_series.TryGet(urn.AsSpan(0, Math.Min(urn.Length, KeyBuilder.MaxLength)), out series))
        {
            series = Create(urn.Length <= KeyBuilder.MaxLength ? urn : urn[..KeyBuilder.MaxLength], urn, operation: null);
        }

        _services.Set(slot, urn, series);
        return series;
    }

    private Series GetOperation(Series service, in Signal signal)
    {
        // A service's spans mostly repeat one name, so the service remembers its last operation series: touching it
        // again by its slot gives the same recency as a lookup, without building and hashing "urn name" per span.
        var last = service.LastOperation;
        if (last is { Evicted: false })
        {
            if (ReferenceEquals(last.Operation, signal.Name))
            {
                _series.Touch(last.Slot);
                return last;
            }

            if (string.Equals(last.Operation, signal.Name, StringComparison.Ordinal))
            {
                // The same name in another string (a series restored from a snapshot has its own copy): keep the
                // stream's, so the next span of it is found by reference instead of by comparing the text again.
                last.Operation = signal.Name;
                _series.Touch(last.Slot);
                return last;
            }
        }

        _key.Clear().Append(signal.Urn).Append(' ').Append(signal.Name);
        if (!_series.TryGet(_key.Span, out var series))
        {
            series = Create(_key.ToString(), signal.Urn, signal.Name);
        }

        service.LastOperation = series;
        return series;
    }

    private Series Create(string key, string urn, string? operation)
    {
        var series = new Series(urn, operation, new AnomalyDetector(_options.Detector));
        if (_series.Add(key, series, out var slot) is { } evicted)
        {
            evicted.Evicted = true;
            for (var i = 0; i < evicted.WindowCount; i++)
            {
                Return(evicted.WindowAt(i).Sketch);
            }
        }

        series.Slot = slot;
        return series;
    }

    private void Add(Series series, long start, double durationMs, int bucket)
    {
        for (var i = 0; i < series.WindowCount; i++)
        {
            var w = series.WindowAt(i);
            if (w.Start == start)
            {
                w.Sketch.Add(durationMs, bucket);
                return;
            }
        }

        if (series.WindowCount >= MaxOpenWindows)
        {
            return; // more windows open than lateness allows: a clock far ahead; drop rather than grow
        }

        var sketch = Rent();
        sketch.Add(durationMs, bucket);
        series.AddWindow(new OpenWindow(start, sketch));
        _earliestStart = Math.Min(_earliestStart, start);
    }

    private void Judge(Series series, long start, QuantileSketch sketch, EngineContext context)
    {
        if (sketch.Count < _options.MinSpans)
        {
            return;
        }

        var p99 = sketch.Quantile(0.99);
        var baseline = AnomalyFindings.Baseline(series.Baseline);
        var score = series.Detector.Update(start, p99);
        series.Baseline.Add(p99, BaselineAlpha);
        if (score <= 0 || (baseline is { } b && p99 <= b))
        {
            return;
        }

        // The median and p95 only go into the finding's summary: read once it is sure there is one.
        var p50 = sketch.Quantile(0.50);
        var p95 = sketch.Quantile(0.95);
        var end = start + _window;
        var severity = score >= _options.CriticalScore ? FindingSeverity.Critical : FindingSeverity.Warning;
        var what = series.Operation is null ? "latency" : $"latency of '{series.Operation}'";
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"p99 {what} on {series.Urn} rose to {p99:0.#} ms{(baseline is { } bl ? $" from a baseline of {bl:0.#} ms" : string.Empty)} (p50 {p50:0.#}, p95 {p95:0.#}, {sketch.Count} spans, score {score:0.00})");
        var name = series.Operation is null ? "span.duration" : "span.duration{operation=" + series.Operation + "}";
        context.Emit(AnomalyFindings.Create(Name, Kind, series.Urn, name, severity, score, start, end, end, summary,
            new Evidence("latency", name + ".p99", p99, baseline, string.Create(CultureInfo.InvariantCulture, $"window {_options.Window.TotalSeconds:0}s, {sketch.Count} spans")),
            new Evidence("latency", name + ".p95", p95),
            new Evidence("latency", name + ".p50", p50)));
    }

    private QuantileSketch Rent() => _pool.TryPop(out var s) ? s : new QuantileSketch();

    private void Return(QuantileSketch sketch)
    {
        if (_pool.Count < _maxPooledSketches)
        {
            sketch.Reset();
            _pool.Push(sketch);
        }
    }

    private readonly record struct OpenWindow(long Start, QuantileSketch Sketch);

    private sealed class Series(string urn, string? operation, AnomalyDetector detector)
    {
        public string Urn { get; } = urn;

        public string? Operation { get; set; } = operation;

        public AnomalyDetector Detector { get; } = detector;

        public Ewm Baseline;

        /// <summary>Where the series sits in the LRU map (valid while not <see cref="Evicted"/>).</summary>
        public int Slot { get; set; }

        /// <summary>Set when the LRU map evicts the series: a link to it must not be followed.</summary>
        public bool Evicted { get; set; }

        /// <summary>For a service series: the operation series its last span went to (null before any).</summary>
        public Series? LastOperation { get; set; }

        // The open windows inline in the series, in the order opened, rather than a list: every span reads them, and
        // the list and its array were two more objects (cache misses) on the way to the sketch.
        private OpenWindowArray _windows;

        public int WindowCount { get; private set; }

        public OpenWindow WindowAt(int i) => _windows[i];

        /// <summary>Adds a window; the caller keeps <see cref="WindowCount"/> within <see cref="MaxOpenWindows"/>.</summary>
        public void AddWindow(OpenWindow window) => _windows[WindowCount++] = window;

        /// <summary>Removes the window at <paramref name="i"/>, keeping the others in order (as List.RemoveAt did).</summary>
        public void RemoveWindowAt(int i)
        {
            for (var j = i + 1; j < WindowCount; j++)
            {
                _windows[j - 1] = _windows[j];
            }

            _windows[--WindowCount] = default;
        }
    }

    [System.Runtime.CompilerServices.InlineArray(MaxOpenWindows)]
    private struct OpenWindowArray
    {
        private OpenWindow _element;
    }
}
