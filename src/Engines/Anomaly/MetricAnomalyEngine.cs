using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// One <see cref="AnomalyDetector"/> per metric series (URN + metric name + the configured series
/// attributes). Gauges feed their value; monotonic cumulative sums feed their increase per point (a
/// counter reset restarts from the new value); histograms and summaries feed their p99 as the series
/// <c>name.p99</c>. A point the detector scores at or above its fire threshold becomes an
/// <c>anomaly.metric</c> finding at the point's time, with the observed value and the recent baseline.
/// </summary>
/// <remarks>
/// Points are scored as they arrive, in the shard's log order; a point not newer than its series' last
/// one (a duplicate after log replay, or out of order) is skipped. At most
/// <see cref="MetricAnomalyOptions.MaxSeries"/> series are kept (least recently updated evicted).
/// </remarks>
public sealed class MetricAnomalyEngine : Engine
{
    internal const string Kind = "anomaly.metric";
    private const int StateVersion = 1;
    private const double BaselineAlpha = 0.05;

    private readonly MetricAnomalyOptions _options;
    private readonly LruMap<Series> _series;
    private readonly KeyBuilder _key = new();
    private readonly byte[] _snapshotBuffer;

    // Series by URN slot and the identity of the URN and name strings (a stream repeats the same instances), in front of the
    // LRU map: a hit touches the series by its slot without building "urn name" and hashing it. Only plain keys (no
    // series attribute on the point, not a percentile, not cut) are cached; an evicted series is never followed.
    private readonly UrnNameCache<Series> _cache = new();

    public MetricAnomalyEngine(AnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Metrics;
        _series = new LruMap<Series>(_options.MaxSeries);
        _snapshotBuffer = new byte[new AnomalyDetector(_options.Detector).SnapshotSize];
    }

    public override string Name => "anomaly.metric";

    public override bool Handles(SignalKind kind) => kind == SignalKind.Metric;

    /// <summary>Series currently kept.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>Series evicted so far to stay within the cap.</summary>
    public long EvictedSeries => _series.Evicted;

    /// <inheritdoc/>
    public override long Evictions => _series.Evicted;

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (signal.Kind != SignalKind.Metric || signal.TimeUnixNano <= 0)
        {
            return;
        }

        var attributes = signal.Attributes;
        var type = attributes.Get("metric.type");
        var value = signal.Value;
        var percentile = false;
        var delta = false;
        switch (type)
        {
            case "histogram" or "exponential_histogram" or "summary":
                if (!double.TryParse(attributes.Get("p99"), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    return;
                }

                percentile = true;
                break;
            case "sum":
                delta = attributes.Get("metric.monotonic") == "true" && attributes.Get("metric.temporality") == "cumulative";
                break;
        }

        if (!double.IsFinite(value))
        {
            return;
        }

        var series = Find(signal, percentile, context.SlotOf(signal.Urn));

        if (signal.TimeUnixNano <= series.LastTime)
        {
            return;
        }

        series.LastTime = signal.TimeUnixNano;
        if (delta)
        {
            var raw = value;
            if (!series.HasRaw)
            {
                series.HasRaw = true;
                series.Raw = raw;
                return;
            }

            value = raw >= series.Raw ? raw - series.Raw : raw;
            series.Raw = raw;
        }

        var baseline = AnomalyFindings.Baseline(series.Baseline);
        var score = series.Detector.Update(signal.TimeUnixNano, value);
        series.Baseline.Add(value, BaselineAlpha);
        if (score <= 0)
        {
            return;
        }

        var severity = score >= _options.CriticalScore ? FindingSeverity.Critical : FindingSeverity.Warning;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{series.Display} on {signal.Urn} is anomalous: {value:G6}{(baseline is { } b ? $" against a recent baseline of {b:G6}" : string.Empty)} (score {score:0.00})");
        context.Emit(AnomalyFindings.Create(Name, Kind, signal.Urn, series.Display, severity, score, signal.TimeUnixNano, signal.TimeUnixNano, signal.TimeUnixNano,
            summary, new Evidence("metric", series.Display, value, baseline, delta ? "increase per point of a cumulative counter" : null)));
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateVersion);
        _series.Write(writer, (w, s) =>
        {
            w.Write(s.Urn);
            w.Write(s.Display);
            w.Write(s.LastTime);
            w.Write(s.HasRaw);
            w.Write(s.Raw);
            w.Write(s.Baseline.Mean);
            w.Write(s.Baseline.Variance);
            w.Write(s.Baseline.Count);
            var n = s.Detector.WriteSnapshot(_snapshotBuffer);
            w.Write(n);
            w.Write(_snapshotBuffer, 0, n);
        });
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var version = reader.ReadInt32();
        if (version != StateVersion)
        {
            throw new InvalidDataException($"anomaly.metric state version {version} is not supported (expected {StateVersion}).");
        }

        _series.Read(reader, (r, _) =>
        {
            var urn = r.ReadString();
            var display = r.ReadString();
            var lastTime = r.ReadInt64();
            var hasRaw = r.ReadBoolean();
            var raw = r.ReadDouble();
            var baseline = new Ewm { Mean = r.ReadDouble(), Variance = r.ReadDouble(), Count = r.ReadInt64() };
            var detector = AnomalyDetector.Restore(_options.Detector, r, _snapshotBuffer);
            return new Series(urn, display, detector) { LastTime = lastTime, HasRaw = hasRaw, Raw = raw, Baseline = baseline };
        });
        _cache.Clear(); // it points at the series just replaced
        for (var node = _series.Oldest; node != LruMap<Series>.None; node = _series.Newer(node))
        {
            _series.ValueAt(node).Slot = node;
        }
    }

    private Series Find(in Signal signal, bool percentile, int urnSlot)
    {
        var urn = signal.Urn;
        var name = signal.Name;
        var cacheable = name is not null && !percentile && urn.Length + 1 + name!.Length <= KeyBuilder.MaxLength && !HasSeriesAttribute(signal.Attributes);
        if (cacheable && _cache.TryGet(urnSlot, urn, name!, out var hit) && !hit.Evicted)
        {
            _series.Touch(hit.Slot);
            return hit;
        }

        BuildKey(signal, percentile);
        if (!_series.TryGet(_key.Span, out var series))
        {
            // The display name is the key after the URN; a URN too long for a key (cut within it) shows the metric's name.
            var key = _key.ToString();
            series = new Series(urn, key.Length > urn.Length + 1 ? key[(urn.Length + 1)..] : name ?? string.Empty, new AnomalyDetector(_options.Detector));
            if (_series.Add(key, series, out var slot) is { } evicted)
            {
                evicted.Evicted = true;
            }

            series.Slot = slot;
        }

        if (cacheable)
        {
            _cache.Set(urnSlot, urn, name!, series);
        }

        return series;
    }

    private bool HasSeriesAttribute(SignalAttributes attributes)
    {
        if (attributes.Count == 0)
        {
            return false;
        }

        foreach (var name in _options.SeriesAttributes)
        {
            if (attributes.Get(name) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Key: <c>urn name[.p99]{k=v,…}</c>; the part after the URN is the series' display name.</summary>
    private void BuildKey(in Signal signal, bool percentile)
    {
        _key.Clear().Append(signal.Urn).Append(' ').Append(signal.Name);
        if (percentile)
        {
            _key.Append(".p99");
        }

        var first = true;
        foreach (var name in _options.SeriesAttributes)
        {
            var v = signal.Attributes.Get(name);
            if (v is null)
            {
                continue;
            }

            _key.Append(first ? '{' : ',').Append(name).Append('=').Append(v);
            first = false;
        }

        if (!first)
        {
            _key.Append('}');
        }
    }

    private sealed class Series(string urn, string display, AnomalyDetector detector)
    {
        public string Urn { get; } = urn;

        public string Display { get; } = display;

        public AnomalyDetector Detector { get; } = detector;

        public long LastTime { get; set; } = long.MinValue;

        public bool HasRaw { get; set; }

        public double Raw { get; set; }

        public Ewm Baseline;

        /// <summary>Where the series sits in the LRU map (valid while not <see cref="Evicted"/>).</summary>
        public int Slot { get; set; }

        /// <summary>Set when the LRU map evicts the series: the cache must not hand it out.</summary>
        public bool Evicted { get; set; }
    }
}
