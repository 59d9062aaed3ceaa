using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Autopilot.Engines.Contracts;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Drift;

/// <summary>
/// Schema and distribution drift, in event time.
/// <list type="bullet">
/// <item>Dataset schemas: a dataset lineage signal whose <c>schema.fingerprint</c> differs from the last one of its URN
///   is a <c>drift.schema</c> finding listing fields added, removed and retyped (from <c>schema.fields</c>).</item>
/// <item>Span attribute keys per operation (URN + span name): the first <see cref="DriftOptions.WarmupSpans"/> spans
///   teach the keys present on ≥ <see cref="DriftOptions.KeyPresence"/> of spans; afterwards a window (with
///   <see cref="DriftOptions.MinWindowCount"/> spans) in which a new key is that consistent, or a learned key that
///   absent, is a <c>drift.schema</c> finding, and the learned shape follows it.</item>
/// <item>Distributions of span durations per operation and metric values per URN and name: the first
///   <see cref="DriftOptions.ReferenceWindow"/> of values fixes quantile bins; each later tumbling window with enough
///   values whose PSI against the reference reaches <see cref="DriftOptions.PsiThreshold"/> is <c>drift.distribution</c>.</item>
/// </list>
/// </summary>
public sealed class DriftEngine : Engine
{
    private readonly DriftOptions _options;
    private readonly long _window;
    private readonly long _referenceWindow;
    private readonly Dictionary<string, (string Fingerprint, string? Fields)> _schemas = new(StringComparer.Ordinal);

    // Per URN (an ordinal string lookup, the dictionary's fast non-randomized hashing), then per name in a short list
    // (see UrnNames) instead of tuple keys hashed with the randomized string hash; one pair of lookups serves a
    // span's keys and duration.
    private readonly Dictionary<string, UrnNames> _byUrn = new(StringComparer.Ordinal);

    // Shapes by URN slot and the identity of the URN and name strings (a stream repeats the same instances), in front of the two
    // lookups above: a hit reads one entry instead of hashing the URN and walking its dictionary entry and name list.
    // Nothing tracked is ever removed except by ReadState, which clears it.
    private readonly UrnNameCache<NameShapes> _cache = new();

    // Every operation and series in the order first seen: the order they are judged and written in.
    private readonly List<OperationKeys> _operations = [];
    private readonly List<DistributionSeries> _series = [];

    // Nothing is due before this watermark (a lower bound; long.MinValue after a restore): windows and reference
    // periods end far apart, so most watermarks skip the sweep over every operation and series.
    private long _nextDue = long.MaxValue;
    private long _untracked;

    public DriftEngine(DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _window = options.Window.Ticks * 100;
        _referenceWindow = options.ReferenceWindow.Ticks * 100;
    }

    public override string Name => "drift";

    /// <summary>Signals of series, operations or datasets past <see cref="DriftOptions.MaxSeries"/>, <see cref="DriftOptions.MaxOperations"/> or <see cref="DriftOptions.MaxDatasets"/>, not tracked.</summary>
    public override long Untracked => _untracked;

    public override bool Handles(SignalKind kind) => kind is SignalKind.Lineage or SignalKind.Span or SignalKind.Metric;

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        if (signal.TimeUnixNano <= 0)
        {
            return;
        }

        switch (signal.Kind)
        {
            case SignalKind.Lineage:
                OnDataset(signal, context);
                break;
            case SignalKind.Span when signal.Urn is not null && signal.Name is not null:
                var shapes = Find(signal.Urn, signal.Name, context.SlotOf(signal.Urn));
                OnSpanKeys(signal, ref shapes, context);
                OnValue(signal, ref shapes, context);
                break;
            case SignalKind.Metric when signal.Urn is not null && signal.Name is not null:
                var metric = Find(signal.Urn, signal.Name, context.SlotOf(signal.Urn));
                OnValue(signal, ref metric, context);
                break;
        }
    }

    public override void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
        if (_nextDue > watermarkUnixNano)
        {
            return; // no window or reference period has ended yet
        }

        var next = long.MaxValue;
        for (var i = 0; i < _operations.Count; i++)
        {
            var op = _operations[i];
            if (op.Learned && op.WindowStart + _window <= watermarkUnixNano)
            {
                JudgeKeys(op, context);
            }

            if (op.Learned)
            {
                next = Math.Min(next, op.WindowStart + _window);
            }
        }

        for (var i = 0; i < _series.Count; i++)
        {
            var s = _series[i];
            if (s.Edges is null)
            {
                if (s.ReferenceStart + _referenceWindow <= watermarkUnixNano && s.Reference!.Count >= _options.MinReferenceCount)
                {
                    FixReference(s, watermarkUnixNano);
                }
            }
            else if (s.WindowStart + _window <= watermarkUnixNano)
            {
                JudgeWindow(s, context);
            }

            // A reference still too small becomes due when OnValue fills it, which lowers _nextDue then.
            if (s.Edges is not null)
            {
                next = Math.Min(next, s.WindowStart + _window);
            }
            else if (s.Reference!.Count >= _options.MinReferenceCount)
            {
                next = Math.Min(next, s.ReferenceStart + _referenceWindow);
            }
        }

        _nextDue = next;
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_schemas.Count);
        foreach (var (urn, (fp, fields)) in _schemas)
        {
            writer.Write(urn);
            writer.Write(fp);
            writer.Write(fields is not null);
            writer.Write(fields ?? string.Empty);
        }

        writer.Write(_operations.Count);
        foreach (var op in _operations)
        {
            writer.Write(op.Urn);
            writer.Write(op.Name);
            writer.Write(op.WarmupSeen);
            writer.Write(op.Learned);
            writer.Write(op.WindowStart);
            writer.Write(op.WindowSpans);
            WriteSet(writer, op.Baseline);
            WriteSet(writer, op.Known);
            Flush(op); // the same counts, written out (a run is only a deferred addition)
            writer.Write(op.Counts.Count);
            foreach (var (k, n) in op.Counts)
            {
                writer.Write(k);
                writer.Write(n);
            }
        }

        writer.Write(_series.Count);
        foreach (var s in _series)
        {
            writer.Write((int)s.Kind);
            writer.Write(s.Urn);
            writer.Write(s.Name);
            writer.Write(s.ReferenceStart);
            writer.Write(s.JudgeFrom);
            writer.Write(s.WindowStart);
            writer.Write(s.Total);
            writer.Write(s.Sum);
            writer.Write(s.ReferenceMean);
            writer.Write(s.Reference?.Count ?? -1);
            foreach (var v in s.Reference ?? [])
            {
                writer.Write(v);
            }

            writer.Write(s.Edges?.Length ?? -1);
            foreach (var v in s.Edges ?? [])
            {
                writer.Write(v);
            }

            writer.Write(s.Expected.Length);
            foreach (var v in s.Expected)
            {
                writer.Write(v);
            }

            writer.Write(s.Counts.Length);
            foreach (var v in s.Counts)
            {
                writer.Write(v);
            }
        }
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _schemas.Clear();
        _byUrn.Clear();
        _cache.Clear();
        _operations.Clear();
        _series.Clear();
        var schemas = reader.ReadInt32();
        for (var i = 0; i < schemas; i++)
        {
            var urn = reader.ReadString();
            var fp = reader.ReadString();
            var has = reader.ReadBoolean();
            var fields = reader.ReadString();
            _schemas[urn] = (fp, has ? fields : null);
        }

        var ops = reader.ReadInt32();
        for (var i = 0; i < ops; i++)
        {
            var op = new OperationKeys(reader.ReadString(), reader.ReadString())
            {
                WarmupSeen = reader.ReadInt32(),
                Learned = reader.ReadBoolean(),
                WindowStart = reader.ReadInt64(),
                WindowSpans = reader.ReadInt64(),
            };
            ReadSet(reader, op.Baseline);
            ReadSet(reader, op.Known);
            var counts = reader.ReadInt32();
            for (var j = 0; j < counts; j++)
            {
                op.Counts[string.Intern(reader.ReadString())] = reader.ReadInt64();
            }

            var shapes = Shapes(op.Urn, op.Name);
            if (shapes.Operation is null)
            {
                shapes.Operation = op;
                _operations.Add(op);
            }
        }

        var series = reader.ReadInt32();
        for (var i = 0; i < series; i++)
        {
            var s = new DistributionSeries((SignalKind)reader.ReadInt32(), reader.ReadString(), reader.ReadString(), reader.ReadInt64())
            {
                JudgeFrom = reader.ReadInt64(),
                WindowStart = reader.ReadInt64(),
                Total = reader.ReadInt64(),
                Sum = reader.ReadDouble(),
                ReferenceMean = reader.ReadDouble(),
            };
            var n = reader.ReadInt32();
            s.Reference = n < 0 ? null : new List<double>(n);
            for (var j = 0; j < n; j++)
            {
                s.Reference!.Add(reader.ReadDouble());
            }

            n = reader.ReadInt32();
            s.Edges = n < 0 ? null : new double[n];
            for (var j = 0; j < n; j++)
            {
                s.Edges![j] = reader.ReadDouble();
            }

            s.Expected = new double[reader.ReadInt32()];
            for (var j = 0; j < s.Expected.Length; j++)
            {
                s.Expected[j] = reader.ReadDouble();
            }

            s.Counts = new long[reader.ReadInt32()];
            for (var j = 0; j < s.Counts.Length; j++)
            {
                s.Counts[j] = reader.ReadInt64();
            }

            var shapes = Shapes(s.Urn, s.Name);
            if (s.Kind == SignalKind.Span ? shapes.Span is null : shapes.Metric is null)
            {
                if (s.Kind == SignalKind.Span)
                {
                    shapes.Span = s;
                }
                else
                {
                    shapes.Metric = s;
                }

                _series.Add(s);
            }
        }

        _nextDue = long.MinValue; // the first watermark looks at everything restored
    }

    /// <summary>What is tracked under <paramref name="name"/> of <paramref name="urn"/>, or null when nothing is yet.</summary>
    private NameShapes? Find(string urn, string name, int slot)
    {
        if (_cache.TryGet(slot, urn, name, out var cached))
        {
            return cached;
        }

        var shapes = _byUrn.TryGetValue(urn, out var names) ? names.Find(name) : null;
        if (shapes is not null)
        {
            _cache.Set(slot, urn, name, shapes);
        }

        return shapes;
    }

    private NameShapes Shapes(string urn, string name)
    {
        if (!_byUrn.TryGetValue(urn, out var names))
        {
            names = new UrnNames();
            _byUrn.Add(urn, names);
        }

        return names.GetOrAdd(name);
    }

    private static void WriteSet(BinaryWriter writer, HashSet<string> set)
    {
        var sorted = new List<string>(set);
        sorted.Sort(StringComparer.Ordinal);
        writer.Write(sorted.Count);
        foreach (var s in sorted)
        {
            writer.Write(s);
        }
    }

    private static void ReadSet(BinaryReader reader, HashSet<string> set)
    {
        var n = reader.ReadInt32();
        for (var i = 0; i < n; i++)
        {
            set.Add(string.Intern(reader.ReadString()));
        }
    }

    private static string Format(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private void OnDataset(in Signal signal, EngineContext context)
    {
        var fingerprint = signal.Attributes.Get(SchemaFields.Fingerprint);
        if (fingerprint is null)
        {
            return;
        }

        var fields = signal.Attributes.Get(SchemaFields.Attribute);
        if (!_schemas.TryGetValue(signal.Urn, out var last))
        {
            if (_schemas.Count < _options.MaxDatasets)
            {
                _schemas[signal.Urn] = (fingerprint, fields);
            }
            else
            {
                _untracked++;
            }

            return;
        }

        if (string.Equals(last.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return;
        }

        _schemas[signal.Urn] = (fingerprint, fields);
        var evidence = new List<Evidence>();
        var severity = FindingSeverity.Info;
        if (last.Fields is not null && fields is not null)
        {
            var before = SchemaFields.Parse(last.Fields);
            var after = SchemaFields.Parse(fields);
            foreach (var (name, type) in after)
            {
                var old = Find(before, name);
                if (old is null)
                {
                    evidence.Add(new Evidence("schema", $"added {name}", null, null, $"field {name}:{type} added"));
                }
                else if (!string.Equals(old, type, StringComparison.Ordinal))
                {
                    severity = FindingSeverity.Warning;
                    evidence.Add(new Evidence("schema", $"retyped {name}", null, null, $"field {name} changed type {old} → {type}"));
                }
            }

            foreach (var (name, type) in before)
            {
                if (Find(after, name) is null)
                {
                    severity = FindingSeverity.Warning;
                    evidence.Add(new Evidence("schema", $"removed {name}", null, null, $"field {name}:{type} removed"));
                }
            }
        }

        if (evidence.Count == 0)
        {
            // Nested fields or a list too wide to carry: the fingerprint is all there is.
            severity = FindingSeverity.Warning;
            evidence.Add(new Evidence("schema", $"fingerprint {last.Fingerprint} → {fingerprint}", null, null, "schema changed (nested or unlisted fields)"));
        }

        var t = signal.TimeUnixNano;
        context.Emit(Finding.Create(Name, "drift.schema", signal.Urn, severity, evidence.Count, t, t, t,
            $"schema of {signal.Urn} changed: {evidence[0].Reference}" + (evidence.Count > 1 ? $" and {evidence.Count - 1} more" : string.Empty), [.. evidence]));
    }

    private static string? Find(List<KeyValuePair<string, string>> fields, string name)
    {
        foreach (var (n, t) in fields)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return t;
            }
        }

        return null;
    }

    private void OnSpanKeys(in Signal signal, ref NameShapes? shapes, EngineContext context)
    {
        var op = shapes?.Operation;
        if (op is null)
        {
            if (_operations.Count >= _options.MaxOperations)
            {
                _untracked++;
                return;
            }

            op = new OperationKeys(signal.Urn, signal.Name);
            shapes ??= Shapes(signal.Urn, signal.Name);
            shapes.Operation = op;
            _operations.Add(op);
        }

        var t = signal.TimeUnixNano;
        if (!op.Learned)
        {
            op.WarmupSeen++;
            Count(op, signal.Attributes);
            if (op.WarmupSeen >= _options.WarmupSpans)
            {
                Flush(op);
                foreach (var (k, n) in op.Counts)
                {
                    op.Known.Add(k);
                    if ((double)n / op.WarmupSeen >= _options.KeyPresence)
                    {
                        op.Baseline.Add(k);
                    }
                }

                op.Counts.Clear();
                op.Learned = true;
                op.WindowStart = (t - (t % _window)) + _window; // the warm-up's own window is not judged
                _nextDue = Math.Min(_nextDue, op.WindowStart + _window);
            }

            return;
        }

        var start = t - (t % _window);
        if (start < op.WindowStart)
        {
            return; // late, or still in the warm-up's window
        }

        if (start > op.WindowStart)
        {
            JudgeKeys(op, context);
            op.WindowStart = start;
        }

        op.WindowSpans++;
        Count(op, signal.Attributes);
    }

    private void Count(OperationKeys op, SignalAttributes attributes)
    {
        if (op.Pending is { } pending && pending.SharesKeysWith(attributes))
        {
            op.PendingSpans++;
            return;
        }

        Flush(op);
        op.Pending = attributes;
        op.PendingSpans = 1;
    }

    /// <summary>
    /// Adds the pending run to the counts: each key of the run's shape counts the run's spans, in the order a span of it
    /// would have counted them, so a key the per-operation cap keeps out is kept out as it would have been span by span.
    /// </summary>
    private void Flush(OperationKeys op)
    {
        if (op.Pending is not { } attributes)
        {
            return;
        }

        var spans = op.PendingSpans;
        op.Pending = null;
        op.PendingSpans = 0;
        for (var i = 0; i < attributes.Count; i++)
        {
            var k = attributes.KeyAt(i);
            ref var n = ref CollectionsMarshal.GetValueRefOrNullRef(op.Counts, k);
            if (!Unsafe.IsNullRef(ref n))
            {
                n += spans;
            }
            else if (op.Counts.Count < _options.MaxKeysPerOperation)
            {
                op.Counts.Add(k, spans);
            }
        }
    }

    private void JudgeKeys(OperationKeys op, EngineContext context)
    {
        Flush(op);
        var spans = op.WindowSpans;
        var start = op.WindowStart;
        if (spans >= _options.MinWindowCount)
        {
            List<Evidence>? evidence = null;
            var absent = 1 - _options.KeyPresence;
            var added = new List<string>();
            foreach (var (k, n) in op.Counts)
            {
                if (!op.Known.Contains(k) && (double)n / spans >= _options.KeyPresence)
                {
                    added.Add(k);
                }
            }

            var removed = new List<string>();
            foreach (var k in op.Baseline)
            {
                if ((double)op.Counts.GetValueOrDefault(k) / spans <= absent)
                {
                    removed.Add(k);
                }
            }

            added.Sort(StringComparer.Ordinal);
            removed.Sort(StringComparer.Ordinal);
            foreach (var k in added)
            {
                (evidence ??= []).Add(new Evidence("attribute", $"added {k}", op.Counts[k], 0, $"on {op.Counts[k]} of {spans} spans, never seen before"));
                op.Known.Add(k);
                op.Baseline.Add(k);
            }

            foreach (var k in removed)
            {
                var n = op.Counts.GetValueOrDefault(k);
                (evidence ??= []).Add(new Evidence("attribute", $"removed {k}", n, spans, $"on {n} of {spans} spans, learned as always present"));
                op.Baseline.Remove(k);
            }

            if (evidence is not null)
            {
                var end = start + _window;
                context.Emit(Finding.Create(Name, "drift.schema", op.Urn, removed.Count > 0 ? FindingSeverity.Warning : FindingSeverity.Info, evidence.Count, start, end, end,
                    $"attribute keys of {op.Name} on {op.Urn} changed: {evidence[0].Reference}" + (evidence.Count > 1 ? $" and {evidence.Count - 1} more" : string.Empty), [.. evidence]));
            }
        }

        op.Counts.Clear();
        op.WindowSpans = 0;
        op.WindowStart = start + _window;
    }

    private void OnValue(in Signal signal, ref NameShapes? shapes, EngineContext context)
    {
        var v = signal.Value;
        if (!double.IsFinite(v))
        {
            return;
        }

        var span = signal.Kind == SignalKind.Span;
        var t = signal.TimeUnixNano;
        var s = span ? shapes?.Span : shapes?.Metric;
        if (s is null)
        {
            if (_series.Count >= _options.MaxSeries)
            {
                _untracked++;
                return;
            }

            s = new DistributionSeries(signal.Kind, signal.Urn, signal.Name, t);
            shapes ??= Shapes(signal.Urn, signal.Name);
            if (span)
            {
                shapes.Span = s;
            }
            else
            {
                shapes.Metric = s;
            }

            _series.Add(s);
        }

        if (s.Edges is null)
        {
            if (s.Reference!.Count < _options.MaxReferenceSamples)
            {
                s.Reference.Add(v);
                if (s.Reference.Count == _options.MinReferenceCount)
                {
                    _nextDue = Math.Min(_nextDue, s.ReferenceStart + _referenceWindow);
                }
            }

            return;
        }

        if (t < s.JudgeFrom)
        {
            return;
        }

        var start = t - (t % _window);
        if (start < s.WindowStart)
        {
            return; // late: that window was already judged
        }

        if (start > s.WindowStart)
        {
            JudgeWindow(s, context);
            s.WindowStart = start;
        }

        s.Counts[Psi.Bin(s.Edges, v)]++;
        s.Total++;
        s.Sum += v;
    }

    private void FixReference(DistributionSeries s, long watermark)
    {
        var reference = s.Reference!;
        s.Edges = Psi.Edges(reference, _options.Bins);
        var counts = new long[s.Edges.Length + 1];
        var sum = 0d;
        foreach (var v in reference)
        {
            counts[Psi.Bin(s.Edges, v)]++;
            sum += v;
        }

        s.Expected = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            s.Expected[i] = (double)counts[i] / reference.Count;
        }

        s.ReferenceMean = sum / reference.Count;
        s.Counts = new long[counts.Length];
        s.Reference = null;
        s.JudgeFrom = (watermark - (watermark % _window)) + _window; // the first whole window after the reference
        s.WindowStart = s.JudgeFrom;
    }

    private void JudgeWindow(DistributionSeries s, EngineContext context)
    {
        if (s.Total >= _options.MinWindowCount)
        {
            var psi = Psi.Compute(s.Expected, s.Counts, s.Total);
            if (psi >= _options.PsiThreshold)
            {
                var start = s.WindowStart;
                var end = start + _window;
                var what = s.Kind == SignalKind.Span ? $"duration of {s.Name}" : s.Name;
                var mean = s.Sum / s.Total;
                context.Emit(Finding.Create(Name, "drift.distribution", s.Urn, psi >= 2 * _options.PsiThreshold ? FindingSeverity.Warning : FindingSeverity.Info, psi, start, end, end,
                    $"{what} on {s.Urn} drifted: PSI {Format(psi)} over {s.Total} values (mean {Format(mean)} vs reference {Format(s.ReferenceMean)})",
                    new Evidence("psi", what, psi, _options.PsiThreshold, $"{_options.Bins} reference quantile bins, window {_options.Window.TotalMinutes:0} min"),
                    new Evidence("metric", what, mean, s.ReferenceMean, "mean, window vs reference")));
            }
        }

        Array.Clear(s.Counts);
        s.Total = 0;
        s.Sum = 0;
        s.WindowStart += _window;
    }
}
