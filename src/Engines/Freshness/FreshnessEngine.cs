using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Freshness;

/// <summary>
/// Time since the last update of each dataset, topic and job against its SLA or a learned expected interval.
/// </summary>
/// <remarks>
/// <para>
/// An update is: a <c>COMPLETE</c> lineage event on a job (a finished run) or on a dataset it wrote; a dataset
/// event; a <c>record</c> signal on a topic or dataset (messages published, rows or database writes) except
/// reads and consumes (<c>receive</c>, <c>process</c>, <c>select</c>, …), data quality assertions, and row
/// counts observed on inputs.
/// </para>
/// <para>
/// The learned interval is the median of the last <see cref="FreshnessOptions.GapHistory"/> gaps between
/// updates (bursts closer than <see cref="FreshnessOptions.BurstCoalesce"/> count once), so one late run or
/// one burst does not move it. An asset is stale once the watermark passes
/// <c>last update + threshold</c>, threshold = its SLA, else <c>max(IntervalFactor × median, MinStaleAfter)</c>
/// once <see cref="FreshnessOptions.MinObservations"/> gaps are known.
/// </para>
/// <para>
/// Emits, on the watermark only (event time, so a replay gives the same findings whatever the barrier cadence):
/// <c>freshness.stale</c> (warning) when the threshold is crossed, the same finding again as critical at
/// <see cref="FreshnessOptions.CriticalFactor"/> × threshold, and <c>freshness.recovered</c> (info) once the
/// watermark passes the first update after a stale period. Every value in a finding is derived from event times
/// (the crossing points), never from the watermark at which it was noticed.
/// </para>
/// </remarks>
public sealed class FreshnessEngine : Engine
{
    /// <summary>The kind of the finding that says an asset is fresh again: not a symptom, RCA does not rank it.</summary>
    public const string RecoveredKind = "freshness.recovered";

    private const string DatasetPrefix = Urn.Prefix + "dataset:";
    private const string TopicPrefix = Urn.Prefix + "topic:";
    private const string JobPrefix = Urn.Prefix + "job:";
    private const string Complete = "COMPLETE";
    private const int StateVersion = 1;

    // Operations on a topic or table that read rather than change it.
    private static readonly HashSet<string> ReadOperations = new(StringComparer.OrdinalIgnoreCase)
    {
        "receive", "process", "deliver", "settle", "select", "find", "get", "read", "scan",
    };

    private readonly FreshnessOptions _options;
    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    // Least recently updated first; also the order findings are emitted in, so a restored engine emits in the same order.
    private readonly LinkedList<Asset> _lru = new();
    private readonly Dictionary<string, long> _slas = new(StringComparer.Ordinal);
    private readonly long[] _scratch;
    private readonly long _minStaleAfter;
    private readonly long _coalesce;

    public FreshnessEngine(FreshnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _scratch = new long[options.GapHistory];
        _minStaleAfter = ToNanos(options.MinStaleAfter);
        _coalesce = ToNanos(options.BurstCoalesce);
        foreach (var (urn, maxAge) in options.Slas)
        {
            _slas[urn] = ToNanos(maxAge);
        }
    }

    public override string Name => "freshness";

    public override bool Handles(SignalKind kind) => kind is SignalKind.Lineage or SignalKind.Record;

    /// <summary>Assets currently tracked (for tests and metrics).</summary>
    public int TrackedAssets => _assets.Count;

    /// <summary>Sets (or replaces) the maximum age of <paramref name="urn"/>; takes precedence over the learned interval.</summary>
    public void SetSla(string urn, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(urn);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAge, TimeSpan.Zero);
        _slas[urn] = ToNanos(maxAge);
    }

    /// <summary>Removes a run-time SLA; the asset falls back to its learned interval.</summary>
    public bool RemoveSla(string urn) => _slas.Remove(urn);

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        var time = signal.TimeUnixNano;
        if (time <= 0 || !IsUpdate(in signal))
        {
            return;
        }

        if (!_assets.TryGetValue(signal.Urn, out var asset))
        {
            if (!Urn.TryParse(signal.Urn, out _, out _, out _))
            {
                return;
            }

            asset = Track(signal.Urn);
        }
        else
        {
            _lru.Remove(asset.Node);
            _lru.AddLast(asset.Node);
        }

        Update(asset, time);
    }

    public override void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        for (var node = _lru.First; node is not null; node = node.Next)
        {
            Check(node.Value, watermarkUnixNano, context);
        }
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateVersion);
        writer.Write(_slas.Count);
        foreach (var (urn, maxAge) in _slas)
        {
            writer.Write(urn);
            writer.Write(maxAge);
        }

        writer.Write(_assets.Count);
        for (var node = _lru.First; node is not null; node = node.Next)
        {
            var a = node.Value;
            writer.Write(a.Urn);
            writer.Write(a.LastUpdate);
            writer.Write(a.LastArrival);
            writer.Write(a.GapCount);
            writer.Write(a.GapNext);
            for (var i = 0; i < a.GapCount; i++)
            {
                writer.Write(a.Gaps[i]);
            }

            writer.Write((byte)a.Stage);
            writer.Write(a.StaleFrom);
            writer.Write(a.StaleThreshold);
            writer.Write(a.RecoveredAt);
        }
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var version = reader.ReadInt32();
        if (version != StateVersion)
        {
            throw new InvalidDataException($"Freshness state version {version} is not supported (expected {StateVersion}).");
        }

        _assets.Clear();
        _lru.Clear();
        var slas = reader.ReadInt32();
        for (var i = 0; i < slas; i++)
        {
            var urn = reader.ReadString();
            _slas[urn] = reader.ReadInt64();
        }

        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var a = Track(reader.ReadString());
            a.LastUpdate = reader.ReadInt64();
            a.LastArrival = reader.ReadInt64();
            var gaps = reader.ReadInt32();
            a.GapNext = reader.ReadInt32();
            for (var g = 0; g < gaps; g++)
            {
                var gap = reader.ReadInt64();
                if (g < a.Gaps.Length)
                {
                    a.Gaps[g] = gap;
                }
            }

            // A smaller GapHistory than when the snapshot was written keeps the first entries.
            a.GapCount = Math.Min(gaps, a.Gaps.Length);
            a.GapNext %= a.Gaps.Length;
            a.Expected = Median(a);
            a.Stage = (Stage)reader.ReadByte();
            a.StaleFrom = reader.ReadInt64();
            a.StaleThreshold = reader.ReadInt64();
            a.RecoveredAt = reader.ReadInt64();
        }
    }

    private static bool IsUpdate(in Signal signal)
    {
        var urn = signal.Urn;
        if (urn is null)
        {
            return false;
        }

        var isJob = urn.StartsWith(JobPrefix, StringComparison.Ordinal);
        if (!isJob && !urn.StartsWith(DatasetPrefix, StringComparison.Ordinal) && !urn.StartsWith(TopicPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        switch (signal.Kind)
        {
            case SignalKind.Lineage when isJob:
                return string.Equals(signal.Name, Complete, StringComparison.Ordinal);
            case SignalKind.Lineage:
                return string.Equals(signal.Name, "DATASET", StringComparison.Ordinal)
                    || (string.Equals(signal.Name, Complete, StringComparison.Ordinal) && !IsInput(in signal));
            case SignalKind.Record when !isJob:
                return signal.Name is not null
                    && !string.Equals(signal.Name, "dq.assertion", StringComparison.Ordinal)
                    && !ReadOperations.Contains(signal.Name)
                    && !IsInput(in signal);
            default:
                return false;
        }
    }

    private static bool IsInput(in Signal signal) =>
        string.Equals(signal.Attributes.Get("lineage.direction"), "input", StringComparison.Ordinal);

    private static long ToNanos(TimeSpan span) => span.Ticks * 100;

    private static string Format(long nanos) =>
        TimeSpan.FromTicks(nanos / 100).ToString("c", CultureInfo.InvariantCulture);

    private static string FormatTime(long unixNano) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixNano / 1_000_000).ToString("O", CultureInfo.InvariantCulture);

    private Asset Track(string urn)
    {
        if (_assets.Count >= _options.MaxAssets && _lru.First is { } oldest)
        {
            _lru.RemoveFirst();
            _assets.Remove(oldest.Value.Urn);
        }

        var asset = new Asset(urn, _options.GapHistory);
        asset.Node = _lru.AddLast(asset);
        _assets[urn] = asset;
        return asset;
    }

    private void Update(Asset a, long time)
    {
        if (time <= a.LastUpdate)
        {
            return; // out of order or duplicate: the asset was already at least this fresh
        }

        if (a.LastUpdate == 0)
        {
            a.LastArrival = time;
        }
        else if (time - a.LastArrival >= _coalesce)
        {
            a.Gaps[a.GapNext] = time - a.LastArrival;
            a.GapNext = (a.GapNext + 1) % a.Gaps.Length;
            if (a.GapCount < a.Gaps.Length)
            {
                a.GapCount++;
            }

            a.LastArrival = time;
            a.Expected = Median(a);
        }

        a.LastUpdate = time;
        if (a.Stage != Stage.Fresh && a.RecoveredAt == 0)
        {
            a.RecoveredAt = time;
        }
    }

    private long Median(Asset a)
    {
        var n = a.GapCount;
        if (n == 0)
        {
            return 0;
        }

        Array.Copy(a.Gaps, _scratch, n);
        Array.Sort(_scratch, 0, n);
        return n % 2 == 1 ? _scratch[n / 2] : (_scratch[(n / 2) - 1] / 2) + (_scratch[n / 2] / 2);
    }

    private void Check(Asset a, long watermark, EngineContext context)
    {
        if (a.RecoveredAt != 0 && watermark >= a.RecoveredAt)
        {
            EmitRecovered(a, context);
            a.Stage = Stage.Fresh;
            a.RecoveredAt = 0;
        }

        if (a.Stage == Stage.Critical || a.LastUpdate == 0)
        {
            return;
        }

        long threshold;
        string basis;
        if (_slas.TryGetValue(a.Urn, out var sla))
        {
            threshold = sla;
            basis = "SLA";
        }
        else if (a.GapCount >= _options.MinObservations)
        {
            threshold = Math.Max((long)(_options.IntervalFactor * a.Expected), _minStaleAfter);
            basis = "learned";
        }
        else
        {
            return; // warm-up: no SLA and too few gaps to know what late means
        }

        if (a.Stage == Stage.Fresh)
        {
            if (watermark - a.LastUpdate <= threshold)
            {
                return;
            }

            a.Stage = Stage.Stale;
            a.StaleFrom = a.LastUpdate;
            a.StaleThreshold = threshold;
            EmitStale(a, FindingSeverity.Warning, threshold, basis, context);
        }

        // Escalation uses the threshold the asset went stale with, so a later SLA change cannot re-time it.
        var critical = (long)(_options.CriticalFactor * a.StaleThreshold);
        if (a.Stage == Stage.Stale && watermark - a.StaleFrom > critical)
        {
            a.Stage = Stage.Critical;
            EmitStale(a, FindingSeverity.Critical, a.StaleThreshold, basis, context);
        }
    }

    private void EmitStale(Asset a, FindingSeverity severity, long threshold, string basis, EngineContext context)
    {
        // The age is the one at the crossing point, so the finding does not depend on when the watermark moved.
        var age = severity == FindingSeverity.Critical ? (long)(_options.CriticalFactor * threshold) : threshold;
        var at = a.StaleFrom + age;
        var score = Math.Min(1.0, (double)age / (_options.CriticalFactor * threshold));
        var expected = basis == "SLA"
            ? $"SLA {Format(threshold)}"
            : $"expected interval {Format(a.Expected)} (median of {a.GapCount} gaps), threshold {Format(threshold)}";
        var summary = $"{a.Urn} not updated for more than {Format(age)}; last update {FormatTime(a.StaleFrom)}, {expected}";
        context.Emit(Finding.Create(Name, "freshness.stale", a.Urn, severity, score, a.StaleFrom, at, at, summary,
            new Evidence("freshness", "age_seconds", age / 1e9, threshold / 1e9, $"{basis}; last update {FormatTime(a.StaleFrom)}"),
            new Evidence("freshness", "last_update", Detail: FormatTime(a.StaleFrom)),
            new Evidence("freshness", basis == "SLA" ? "sla_seconds" : "expected_interval_seconds", Expected: (basis == "SLA" ? threshold : a.Expected) / 1e9)));
    }

    private void EmitRecovered(Asset a, EngineContext context)
    {
        var outage = a.RecoveredAt - a.StaleFrom;
        var summary = $"{a.Urn} updated again at {FormatTime(a.RecoveredAt)} after {Format(outage)} without updates";
        context.Emit(Finding.Create(Name, RecoveredKind, a.Urn, FindingSeverity.Info, 0, a.StaleFrom, a.RecoveredAt, a.RecoveredAt, summary,
            new Evidence("freshness", "gap_seconds", outage / 1e9, a.StaleThreshold / 1e9, $"last update before {FormatTime(a.StaleFrom)}"),
            new Evidence("freshness", "last_update", Detail: FormatTime(a.RecoveredAt))));
    }

    private enum Stage : byte
    {
        Fresh = 0,
        Stale = 1,
        Critical = 2,
    }

    private sealed class Asset(string urn, int gapHistory)
    {
        public string Urn { get; } = urn;

        public LinkedListNode<Asset> Node { get; set; } = null!;

        /// <summary>Event time of the newest update, 0 before the first.</summary>
        public long LastUpdate { get; set; }

        /// <summary>Event time of the update that started the current burst (gaps are measured between these).</summary>
        public long LastArrival { get; set; }

        /// <summary>Ring of recent gaps in nanoseconds.</summary>
        public long[] Gaps { get; } = new long[gapHistory];

        public int GapCount { get; set; }

        public int GapNext { get; set; }

        /// <summary>Median of <see cref="Gaps"/>, recomputed when a gap is added.</summary>
        public long Expected { get; set; }

        public Stage Stage { get; set; }

        /// <summary>Last update before the stale period (the stale finding's window start, hence its id).</summary>
        public long StaleFrom { get; set; }

        public long StaleThreshold { get; set; }

        /// <summary>First update after going stale, 0 when none yet.</summary>
        public long RecoveredAt { get; set; }
    }
}
