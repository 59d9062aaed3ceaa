using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Volume;

/// <summary>
/// Counts per URN per tumbling event-time window against a seasonal robust baseline; drops and spikes.
/// </summary>
/// <remarks>
/// <para>
/// Counted: spans, logs, metric points and records (messages, database operations) as 1 each, and
/// <c>lineage.row_count</c> records as their row count. Lineage and change signals are not volume.
/// </para>
/// <para>
/// Baselines: per URN an overall baseline, 24 hour-of-day and 168 hour-of-week slots. Each is a robust
/// exponentially weighted location and spread (a plain mean until warm, then each new window is clipped to
/// location ± 3 scales before it moves the estimate, a Huber-style update, so one outage or burst barely moves
/// it while a lasting level shift is learned). A window is judged against the hour-of-week slot once it has
/// <see cref="VolumeOptions.MinSlotObservations"/> windows, else the hour-of-day slot, else the overall
/// baseline once it has <see cref="VolumeOptions.MinObservations"/>; before that the URN only learns.
/// </para>
/// <para>
/// A window is a finding when |z| ≥ <see cref="VolumeOptions.Sensitivity"/> with
/// z = (observed − expected) / max(σ̂, √expected) (σ̂ from the slot's spread, at least the overall baseline's,
/// √expected the Poisson noise of a count) and the change is at least <see cref="VolumeOptions.MinRelativeChange"/> of expected, in an allowed
/// direction. Windows with no signal count as 0 once a URN is tracked: the watermark closes them too.
/// Emits <c>volume.drop</c> / <c>volume.spike</c> (score: relative size of the change in [0, 1]; critical from
/// 0.9, i.e. a drop to 10 % or less, or a tenfold spike) when a window closes, on the watermark only.
/// </para>
/// </remarks>
public sealed class VolumeEngine : Engine
{
    private const int OpenWindows = 4;
    private const int DaySlots = 24;
    private const int Slots = 1 + DaySlots + (7 * DaySlots);
    private const double SigmaPerMeanAbsDev = 1.2533141373155;
    private const double ClipScales = 3.0;
    private const int StateVersion = 1;
    private const long NanosPerHour = 3_600_000_000_000;

    private readonly VolumeOptions _options;
    private readonly long _window;
    private readonly long _forgetAfter;
    private readonly long _utcOffset;
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

    // Least recently seen first; also the order windows are judged in, so a restored engine emits in the same order.
    private readonly RecencyList<Series> _lru = new();
    private long _evicted;

    // Series by URN slot in front of _series; a removed series is flagged and never followed.
    private readonly UrnCache<Series> _cache = new();

    // Windows starting before this are closed for every URN; later signals for them are late and ignored.
    private long _closedBefore = long.MinValue;

    public VolumeEngine(VolumeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _window = options.Window.Ticks * 100;
        _forgetAfter = options.ForgetAfter.Ticks * 100;
        _utcOffset = options.UtcOffset.Ticks * 100;
    }

    public override string Name => "volume";

    /// <summary>URNs evicted so far to stay within <see cref="VolumeOptions.MaxUrns"/>.</summary>
    public override long Evictions => _evicted;

    public override bool Handles(SignalKind kind) => kind is SignalKind.Span or SignalKind.Metric or SignalKind.Log or SignalKind.Record;

    /// <summary>URNs currently tracked (for tests and metrics).</summary>
    public int TrackedUrns => _series.Count;

    /// <summary>Signals ignored because their window had already closed (late) or too many windows were open.</summary>
    public long Dropped { get; private set; }

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        var time = signal.TimeUnixNano;
        if (time <= 0 || signal.Urn is null)
        {
            return;
        }

        double weight;
        switch (signal.Kind)
        {
            case SignalKind.Span or SignalKind.Metric or SignalKind.Log:
                weight = 1;
                break;
            case SignalKind.Record when string.Equals(signal.Name, "lineage.row_count", StringComparison.Ordinal):
                if (!double.IsFinite(signal.Value) || signal.Value < 0)
                {
                    return;
                }

                weight = signal.Value;
                break;
            case SignalKind.Record:
                weight = 1;
                break;
            default:
                return;
        }

        var start = time - (time % _window);
        if (start < _closedBefore)
        {
            Dropped++;
            return;
        }

        var slot = context.SlotOf(signal.Urn);
        if (_cache.TryGet(slot, signal.Urn, out var s) && !s.Removed)
        {
            _lru.Touch(s.Slot);
        }
        else
        {
            if (_series.TryGetValue(signal.Urn, out s))
            {
                _lru.Touch(s.Slot);
            }
            else
            {
                s = Track(signal.Urn);
                s.NextStart = s.FirstStart = start;
            }

            _cache.Set(slot, signal.Urn, s);
        }

        s.LastSeen = Math.Max(s.LastSeen, time);
        if (start < s.NextStart || !s.Add(start, weight))
        {
            Dropped++;
        }
    }

    public override void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (watermarkUnixNano <= 0)
        {
            return;
        }

        var closeBefore = watermarkUnixNano - (watermarkUnixNano % _window);
        if (closeBefore <= _closedBefore)
        {
            return; // no window boundary passed since the last call
        }

        _closedBefore = closeBefore;
        var node = _lru.Oldest;
        while (node != RecencyList<Series>.None)
        {
            var next = _lru.Newer(node);
            var s = _lru.ValueAt(node);
            if (s.LastSeen + _forgetAfter < watermarkUnixNano)
            {
                _lru.Remove(node);
                _series.Remove(s.Urn);
                s.Removed = true;
            }
            else
            {
                Close(s, closeBefore, context);
            }

            node = next;
        }
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateVersion);
        writer.Write(_window);
        writer.Write(_closedBefore);
        writer.Write(Dropped);
        writer.Write(_series.Count);
        for (var node = _lru.Oldest; node != RecencyList<Series>.None; node = _lru.Newer(node))
        {
            var s = _lru.ValueAt(node);
            writer.Write(s.Urn);
            writer.Write(s.NextStart);
            writer.Write(s.FirstStart);
            writer.Write(s.LastSeen);
            writer.Write(s.AlertDirection);
            writer.Write(s.AlertRun);
            for (var i = 0; i < OpenWindows; i++)
            {
                writer.Write(s.OpenStart[i]);
                writer.Write(s.OpenCount[i]);
            }

            for (var i = 0; i < Slots; i++)
            {
                ref var slot = ref s.Slots[i];
                writer.Write(slot.Count);
                if (slot.Count > 0)
                {
                    writer.Write(slot.Level);
                    writer.Write(slot.Spread);
                }
            }
        }
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var version = reader.ReadInt32();
        if (version != StateVersion)
        {
            throw new InvalidDataException($"Volume state version {version} is not supported (expected {StateVersion}).");
        }

        _series.Clear();
        _lru.Clear();
        _cache.Clear();
        var window = reader.ReadInt64();
        if (window != _window)
        {
            // Windows of another size cannot continue; start learning again rather than judge with wrong baselines.
            return;
        }

        _closedBefore = reader.ReadInt64();
        Dropped = reader.ReadInt64();
        var count = reader.ReadInt32();
        for (var n = 0; n < count; n++)
        {
            var s = Track(reader.ReadString());
            s.NextStart = reader.ReadInt64();
            s.FirstStart = reader.ReadInt64();
            s.LastSeen = reader.ReadInt64();
            s.AlertDirection = reader.ReadSByte();
            s.AlertRun = reader.ReadInt32();
            for (var i = 0; i < OpenWindows; i++)
            {
                s.OpenStart[i] = reader.ReadInt64();
                s.OpenCount[i] = reader.ReadDouble();
            }

            for (var i = 0; i < Slots; i++)
            {
                ref var slot = ref s.Slots[i];
                slot.Count = reader.ReadInt32();
                if (slot.Count > 0)
                {
                    slot.Level = reader.ReadDouble();
                    slot.Spread = reader.ReadDouble();
                }
            }
        }
    }

    private static string FormatTime(long unixNano) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixNano / 1_000_000).ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    private Series Track(string urn)
    {
        if (_series.Count >= _options.MaxUrns && _lru.Oldest != RecencyList<Series>.None)
        {
            var oldest = _lru.Oldest;
            var evicted = _lru.ValueAt(oldest);
            _series.Remove(evicted.Urn);
            evicted.Removed = true;
            _lru.Remove(oldest);
            _evicted++;
        }

        var s = new Series(urn);
        s.Slot = _lru.AddNewest(s);
        _series[urn] = s;
        return s;
    }

    private void Close(Series s, long closeBefore, EngineContext context)
    {
        // Bounded catch-up: windows older than ForgetAfter are beyond what the baselines remember anyway.
        var oldest = closeBefore - _forgetAfter;
        if (s.NextStart < oldest)
        {
            s.NextStart = oldest - (oldest % _window);
            s.AlertDirection = 0;
            s.AlertRun = 0;
        }

        while (s.NextStart < closeBefore)
        {
            var start = s.NextStart;
            var observed = s.Take(start);
            if (start != s.FirstStart)
            {
                // The first window of a URN is partial (it started being seen mid-window): not learned from.
                Judge(s, start, observed, context);
            }

            s.NextStart = start + _window;
        }

        s.DiscardBefore(s.NextStart);
    }

    private void Judge(Series s, long start, double observed, EngineContext context)
    {
        var local = start + _utcOffset;
        var hour = (int)((local / NanosPerHour) % DaySlots);
        var dayOfWeek = (int)(((local / (NanosPerHour * DaySlots)) + 3) % 7); // 1970-01-01 was a Thursday; Monday = 0
        var daySlot = 1 + hour;
        var weekSlot = 1 + DaySlots + (dayOfWeek * DaySlots) + hour;

        var baseline = -1;
        if (s.Slots[weekSlot].Count >= _options.MinSlotObservations)
        {
            baseline = weekSlot;
        }
        else if (s.Slots[daySlot].Count >= _options.MinSlotObservations)
        {
            baseline = daySlot;
        }
        else if (s.Slots[0].Count >= _options.MinObservations)
        {
            baseline = 0;
        }

        var anomalous = baseline >= 0 && Assess(s, start, observed, baseline, hour, dayOfWeek, context);

        // An anomalous window moves the levels (clipped, so a lasting shift is learned) but not the spreads:
        // an outage must not teach the baseline that the series is noisy and so silence its own findings.
        Learn(ref s.Slots[0], observed, anomalous);
        Learn(ref s.Slots[daySlot], observed, anomalous);
        Learn(ref s.Slots[weekSlot], observed, anomalous);
    }

    /// <summary>Judges one closed window; true when it is anomalous (whether or not a finding was emitted for it).</summary>
    private bool Assess(Series s, long start, double observed, int baseline, int hour, int dayOfWeek, EngineContext context)
    {
        ref var slot = ref s.Slots[baseline];
        var expected = Math.Max(slot.Level, 0);
        // A slot's spread from a dozen windows is itself noisy; the overall baseline (recent windows) floors it.
        var scale = baseline == 0 ? Scale(in slot) : Math.Max(Scale(in slot), Scale(in s.Slots[0]));
        var z = (observed - expected) / scale;
        var change = Math.Abs(observed - expected);
        var direction = (sbyte)Math.Sign(observed - expected);
        var allowed = _options.Directions.TryGetValue(s.Urn, out var d) ? d : _options.Direction;
        var anomalous = Math.Abs(z) >= _options.Sensitivity
            && change >= _options.MinRelativeChange * expected
            && direction != 0
            && (allowed == VolumeDirection.Both || (allowed == VolumeDirection.Drop) == (direction < 0));
        if (!anomalous)
        {
            s.AlertDirection = 0;
            s.AlertRun = 0;
            return false;
        }

        if (s.AlertDirection == direction)
        {
            s.AlertRun++;
            if (s.AlertRun % _options.RenotifyWindows != 0)
            {
                return true;
            }
        }
        else
        {
            s.AlertDirection = direction;
            s.AlertRun = 0;
        }

        var drop = direction < 0;
        var score = drop ? change / Math.Max(expected, double.Epsilon) : change / observed;
        score = Math.Clamp(score, 0, 1);
        var severity = score >= 0.9 ? FindingSeverity.Critical : FindingSeverity.Warning;
        var basis = baseline == 0
            ? "overall"
            : baseline <= DaySlots
                ? string.Create(CultureInfo.InvariantCulture, $"hour of day {hour:00}h")
                : string.Create(CultureInfo.InvariantCulture, $"hour of week {(DayOfWeek)((dayOfWeek + 1) % 7)} {hour:00}h");
        var end = start + _window;
        var minutes = _options.Window.TotalMinutes;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Volume of {s.Urn} {(drop ? "dropped" : "spiked")} to {observed:0.##} in the {minutes:0.##} min window from {FormatTime(start)} (expected {expected:0.##}, robust z {z:0.0})");
        context.Emit(Finding.Create(Name, drop ? "volume.drop" : "volume.spike", s.Urn, severity, score, start, end, end, summary,
            new Evidence("window", "count", observed, Math.Round(expected, 3),
                string.Create(CultureInfo.InvariantCulture, $"baseline {basis} over {slot.Count} windows; scale {scale:0.###}; robust z {z:0.##}; threshold {_options.Sensitivity:0.##}"))));
        return true;
    }

    private static double Scale(in Slot slot) =>
        Math.Max(slot.Spread * SigmaPerMeanAbsDev, Math.Sqrt(Math.Max(slot.Level, 1)));

    private void Learn(ref Slot slot, double x, bool anomalous)
    {
        if (slot.Count == 0)
        {
            slot.Level = x;
            slot.Spread = 0;
            slot.Count = 1;
            return;
        }

        double value = x;
        if (slot.Count >= _options.MinSlotObservations)
        {
            var limit = ClipScales * Scale(in slot);
            value = Math.Clamp(x, slot.Level - limit, slot.Level + limit);
        }

        var alpha = Math.Max(1.0 / (slot.Count + 1), _options.Alpha);
        var residual = value - slot.Level;
        slot.Level += alpha * residual;
        if (!anomalous)
        {
            slot.Spread += alpha * (Math.Abs(residual) - slot.Spread);
        }
        if (slot.Count < int.MaxValue)
        {
            slot.Count++;
        }
    }

    /// <summary>Robust exponentially weighted location and spread (mean absolute deviation) of one baseline.</summary>
    private struct Slot
    {
        public double Level;
        public double Spread;
        public int Count;
    }

    [System.Runtime.CompilerServices.InlineArray(OpenWindows)]
    private struct OpenStarts
    {
        private long _element;
    }

    [System.Runtime.CompilerServices.InlineArray(OpenWindows)]
    private struct OpenCounts
    {
        private double _element;
    }

    private sealed class Series(string urn)
    {
        public string Urn { get; } = urn;

        /// <summary>The series' place in the recency list.</summary>
        public int Slot { get; set; }

        /// <summary>Set when the series is evicted or forgotten: a cached reference to it must not be followed.</summary>
        public bool Removed { get; set; }

        /// <summary>Start of the next window to close; every earlier one has been judged.</summary>
        public long NextStart { get; set; }

        public long FirstStart { get; set; }

        public long LastSeen { get; set; }

        /// <summary>-1 while drops are being reported, +1 for spikes, 0 when normal.</summary>
        public sbyte AlertDirection { get; set; }

        public int AlertRun { get; set; }

        // Counts of windows not closed yet (start 0 = free); a handful cover the watermark's lateness. Inline in the
        // series rather than two arrays of their own: every signal touches them, and each array was a cache miss more.
        // Fields, not properties: an inline array is indexed in place.
        public OpenStarts OpenStart;

        public OpenCounts OpenCount;

        public Slot[] Slots { get; } = new Slot[VolumeEngine.Slots];

        public bool Add(long start, double weight)
        {
            var free = -1;
            for (var i = 0; i < OpenWindows; i++)
            {
                if (OpenStart[i] == start)
                {
                    OpenCount[i] += weight;
                    return true;
                }

                if (OpenStart[i] == 0 && free < 0)
                {
                    free = i;
                }
            }

            if (free < 0)
            {
                return false;
            }

            OpenStart[free] = start;
            OpenCount[free] = weight;
            return true;
        }

        public double Take(long start)
        {
            for (var i = 0; i < OpenWindows; i++)
            {
                if (OpenStart[i] == start)
                {
                    OpenStart[i] = 0;
                    var count = OpenCount[i];
                    OpenCount[i] = 0;
                    return count;
                }
            }

            return 0;
        }

        public void DiscardBefore(long start)
        {
            for (var i = 0; i < OpenWindows; i++)
            {
                if (OpenStart[i] != 0 && OpenStart[i] < start)
                {
                    OpenStart[i] = 0;
                    OpenCount[i] = 0;
                }
            }
        }
    }
}
