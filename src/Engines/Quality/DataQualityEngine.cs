using System.Globalization;
using Autopilot.Engines.Contracts;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Quality;

/// <summary>
/// Record-level data quality per URN per tumbling event-time window (<see cref="DataQualityOptions.Window"/>),
/// judged when the watermark passes the window's end:
/// <list type="bullet">
/// <item><c>dq.missing_attribute</c>: signals lacking a required attribute key (<see cref="DataQualityOptions.RequiredAttributes"/>,
///   by URN kind or URN), or dataset schemas (<c>schema.fields</c>) lacking a field a contract marks required.</item>
/// <item><c>dq.assertion_failed</c>: OpenLineage data-quality assertions (<c>dq.assertion</c> records) with status error.</item>
/// <item><c>dq.column_metric</c>: column metrics crossing defaults: <c>dq.null_count</c> &gt; 0 on a column a contract marks required.</item>
/// <item><c>dq.duplicate</c>: a span id repeated on a service, or a <c>messaging.message.id</c> repeated for the same
///   operation on a URN, within one to two <see cref="DataQualityOptions.DuplicateWindow"/>s (a rotating pair of bounded sets).</item>
/// </list>
/// </summary>
public sealed class DataQualityEngine : Engine
{
    private const string MessageId = "messaging.message.id";
    private const int MaxPooled = 16_384;
    private readonly DataQualityOptions _options;

    // Every span is asked for its message id: where the key sits is remembered per key array (signals of one shape share it).
    private readonly AttributeLookup _messageId = new(MessageId);
    private readonly AttributeLookup _operationType = new("messaging.operation.type");
    private readonly AttributeLookup _operation = new("messaging.operation");
    private readonly ContractCatalog _contracts;
    private readonly long _window;
    private readonly long _dupWindow;
    private readonly Dictionary<string, List<QualityWindow>> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DuplicateIds> _ids = new(StringComparer.Ordinal);

    // Id sets by URN slot in front of _ids; a forgotten set is flagged and never followed.
    private readonly UrnCache<DuplicateIds> _idsCache = new();
    private readonly Dictionary<string, string[]?> _required = new(StringComparer.Ordinal);

    // Judged windows and their URN lists, reused rather than allocated again every window.
    private readonly Stack<List<QualityWindow>> _freeLists = new();
    private readonly Stack<QualityWindow> _freeWindows = new();
    private readonly List<string> _emptied = [];

    // Lower bounds of the earliest window start and of the earliest duplicate-id window (long.MinValue after a
    // restore): until the watermark reaches them a watermark has nothing to do, and the sweeps are skipped.
    private long _earliestWindow = long.MaxValue;
    private long _untracked;
    private long _earliestIds = long.MaxValue;

    public DataQualityEngine(DataQualityOptions options, ContractSet? contracts = null)
        : this(options, ContractCatalog.Of(contracts ?? ContractSet.Empty))
    {
    }

    /// <summary>An engine checking the contracts in force in <paramref name="contracts"/> (a reload is seen at the next signal).</summary>
    public DataQualityEngine(DataQualityOptions options, ContractCatalog contracts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contracts);
        _options = options;
        _contracts = contracts;
        _window = options.Window.Ticks * 100;
        _dupWindow = options.DuplicateWindow.Ticks * 100;
    }

    public override string Name => "dq";

    /// <summary>Signals whose URN could not be tracked (<see cref="DataQualityOptions.MaxTrackedUrns"/> reached) for its windows or its duplicate ids.</summary>
    public override long Untracked => _untracked;

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        var t = signal.TimeUnixNano;
        if (t <= 0)
        {
            return;
        }

        var start = t - (t % _window);
        if (start + _window <= context.Watermark)
        {
            return; // late: that window was already judged
        }

        QualityWindow? w = null;
        var required = Required(signal.Urn);
        if (required is not null)
        {
            w = WindowOf(signal.Urn, start);
            if (w is not null)
            {
                w.Checked++;
            }

            for (var i = 0; w is not null && i < required.Length; i++)
            {
                if (signal.Attributes.Get(required[i]) is null)
                {
                    w.Missing[required[i]] = w.Missing.GetValueOrDefault(required[i]) + 1;
                }
            }
        }

        switch (signal.Kind)
        {
            case SignalKind.Lineage:
                CheckContractFields(signal, start);
                break;
            case SignalKind.Record when signal.Status == SignalStatus.Error && string.Equals(signal.Name, "dq.assertion", StringComparison.Ordinal):
                w ??= WindowOf(signal.Urn, start);
                if (w is not null)
                {
                    w.FailedAssertions++;
                    if (w.Assertions.Count < QualityWindow.MaxSamples)
                    {
                        var column = signal.Attributes.Get("column");
                        w.Assertions.Add(new Evidence("assertion", signal.Attributes.Get("dq.assertion") ?? "(unnamed)", 0, 1, column is null ? null : "column " + column));
                    }
                }

                break;
            case SignalKind.Metric when signal.Value > 0 && string.Equals(signal.Name, "dq.null_count", StringComparison.Ordinal):
                CheckNulls(signal, start, ref w);
                break;
        }

        CheckDuplicate(signal, start, ref w, context);
    }

    public override void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
        if (_earliestWindow <= watermarkUnixNano - _window)
        {
            CloseWindows(watermarkUnixNano, context);
        }

        if (_earliestIds <= watermarkUnixNano - (2 * _dupWindow))
        {
            ForgetIdleIds(watermarkUnixNano);
        }
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_open.Count);
        foreach (var (urn, windows) in _open)
        {
            writer.Write(urn);
            writer.Write(windows.Count);
            foreach (var w in windows)
            {
                writer.Write(w.Start);
                writer.Write(w.Checked);
                writer.Write(w.FailedAssertions);
                writer.Write(w.Duplicates);
                writer.Write(w.Missing.Count);
                foreach (var (key, n) in w.Missing)
                {
                    writer.Write(key);
                    writer.Write(n);
                }

                WriteEvidence(writer, w.Assertions);
                WriteEvidence(writer, w.ColumnMetrics);
                writer.Write(w.DuplicateSamples.Count);
                foreach (var s in w.DuplicateSamples)
                {
                    writer.Write(s);
                }
            }
        }

        writer.Write(_ids.Count);
        foreach (var (urn, ids) in _ids)
        {
            writer.Write(urn);
            ids.Write(writer);
        }
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _open.Clear();
        _ids.Clear();
        _idsCache.Clear();
        var urns = reader.ReadInt32();
        for (var i = 0; i < urns; i++)
        {
            var urn = reader.ReadString();
            var count = reader.ReadInt32();
            var windows = new List<QualityWindow>();
            for (var j = 0; j < count; j++)
            {
                var w = new QualityWindow(reader.ReadInt64())
                {
                    Checked = reader.ReadInt64(),
                    FailedAssertions = reader.ReadInt64(),
                    Duplicates = reader.ReadInt64(),
                };
                var missing = reader.ReadInt32();
                for (var k = 0; k < missing; k++)
                {
                    w.Missing[reader.ReadString()] = reader.ReadInt64();
                }

                ReadEvidence(reader, w.Assertions);
                ReadEvidence(reader, w.ColumnMetrics);
                var samples = reader.ReadInt32();
                for (var k = 0; k < samples; k++)
                {
                    w.DuplicateSamples.Add(reader.ReadString());
                }

                windows.Add(w);
            }

            _open[urn] = windows;
        }

        var sets = reader.ReadInt32();
        for (var i = 0; i < sets; i++)
        {
            _ids[reader.ReadString()] = DuplicateIds.Read(reader);
        }

        // The first watermark looks at everything restored.
        _earliestWindow = long.MinValue;
        _earliestIds = long.MinValue;
    }

    private void CloseWindows(long watermarkUnixNano, EngineContext context)
    {
        var earliest = long.MaxValue;
        var empty = _emptied;
        empty.Clear();
        foreach (var (urn, windows) in _open)
        {
            for (var i = windows.Count - 1; i >= 0; i--)
            {
                var w = windows[i];
                if (w.Start + _window <= watermarkUnixNano)
                {
                    windows.RemoveAt(i);
                    Judge(urn, w, context);
                    if (_freeWindows.Count < MaxPooled)
                    {
                        _freeWindows.Push(w);
                    }
                }
                else
                {
                    earliest = Math.Min(earliest, w.Start);
                }
            }

            if (windows.Count == 0)
            {
                empty.Add(urn);
            }
        }

        foreach (var urn in empty)
        {
            _open.Remove(urn, out var windows);
            if (_freeLists.Count < MaxPooled)
            {
                _freeLists.Push(windows!);
            }
        }

        _earliestWindow = earliest;
    }

    private void ForgetIdleIds(long watermarkUnixNano)
    {
        // Id sets whose newest window is two windows behind can no longer match anything.
        var earliest = long.MaxValue;
        var idle = _emptied;
        idle.Clear();
        foreach (var (urn, ids) in _ids)
        {
            if (ids.Start + (2 * _dupWindow) <= watermarkUnixNano)
            {
                idle.Add(urn);
            }
            else
            {
                earliest = Math.Min(earliest, ids.Start);
            }
        }

        foreach (var urn in idle)
        {
            if (_ids.Remove(urn, out var forgotten))
            {
                forgotten.Forgotten = true;
            }
        }

        _earliestIds = earliest;
    }

    private static void WriteEvidence(BinaryWriter writer, List<Evidence> list)
    {
        writer.Write(list.Count);
        foreach (var e in list)
        {
            writer.Write(e.Type);
            writer.Write(e.Reference);
            writer.Write(e.Observed ?? double.NaN);
            writer.Write(e.Expected ?? double.NaN);
            writer.Write(e.Detail ?? string.Empty);
        }
    }

    private static void ReadEvidence(BinaryReader reader, List<Evidence> list)
    {
        var n = reader.ReadInt32();
        for (var i = 0; i < n; i++)
        {
            var type = reader.ReadString();
            var reference = reader.ReadString();
            var observed = reader.ReadDouble();
            var expected = reader.ReadDouble();
            var detail = reader.ReadString();
            list.Add(new Evidence(type, reference, double.IsNaN(observed) ? null : observed, double.IsNaN(expected) ? null : expected, detail.Length == 0 ? null : detail));
        }
    }

    /// <summary>FNV-1a over the id and the operation: stable across processes, so snapshots restore.</summary>
    private static ulong Hash(string id, string? operation)
    {
        var h = 14695981039346656037UL;
        foreach (var c in id)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        h = (h ^ 0x1F) * 1099511628211UL;
        foreach (var c in operation ?? string.Empty)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }

    private QualityWindow? WindowOf(string urn, long start)
    {
        if (!_open.TryGetValue(urn, out var windows))
        {
            if (_open.Count >= _options.MaxTrackedUrns)
            {
                _untracked++;
                return null;
            }

            windows = _freeLists.TryPop(out var free) ? free : [];
            _open.Add(urn, windows);
        }

        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i].Start == start)
            {
                return windows[i];
            }
        }

        QualityWindow w;
        if (_freeWindows.TryPop(out var reused))
        {
            reused.Reset(start);
            w = reused;
        }
        else
        {
            w = new QualityWindow(start);
        }

        windows.Add(w);
        _earliestWindow = Math.Min(_earliestWindow, start);
        return w;
    }

    private string[]? Required(string urn)
    {
        if (_options.RequiredAttributes.Count == 0)
        {
            return null;
        }

        if (_required.TryGetValue(urn, out var cached))
        {
            return cached;
        }

        if (!_options.RequiredAttributes.TryGetValue(urn, out var keys) && Urn.TryParse(urn, out var kind, out _, out _))
        {
            keys = _options.RequiredAttributes.GetValueOrDefault(kind);
        }

        if (_required.Count >= _options.MaxTrackedUrns)
        {
            _required.Clear(); // a cache: losing it costs a re-parse, never a wrong answer
        }

        _required[urn] = keys is { Length: > 0 } ? keys : null;
        return _required[urn];
    }

    private void CheckContractFields(in Signal signal, long start)
    {
        var contract = _contracts.Current.Find(signal.Urn);
        var list = contract is null ? null : signal.Attributes.Get(SchemaFields.Attribute);
        if (contract is null || list is null)
        {
            return;
        }

        List<KeyValuePair<string, string>>? fields = null;
        foreach (var field in contract.Schema)
        {
            if (!field.Required)
            {
                continue;
            }

            fields ??= SchemaFields.Parse(list);
            var found = false;
            foreach (var (name, _) in fields)
            {
                found |= string.Equals(name, field.Name, StringComparison.Ordinal);
            }

            if (!found && WindowOf(signal.Urn, start) is { } w)
            {
                var key = "schema.fields/" + field.Name;
                w.Missing[key] = w.Missing.GetValueOrDefault(key) + 1;
                w.Checked = Math.Max(w.Checked, w.Missing[key]);
            }
        }
    }

    private void CheckNulls(in Signal signal, long start, ref QualityWindow? w)
    {
        var contract = _contracts.Current.Find(signal.Urn);
        var column = signal.Attributes.Get("column");
        if (contract is null || column is null)
        {
            return;
        }

        foreach (var field in contract.Schema)
        {
            if (field.Required && string.Equals(field.Name, column, StringComparison.Ordinal))
            {
                w ??= WindowOf(signal.Urn, start);
                if (w is not null && w.ColumnMetrics.Count < QualityWindow.MaxSamples)
                {
                    w.ColumnMetrics.Add(new Evidence("column_metric", $"dq.null_count({column})", signal.Value, 0, $"column {column} is required by contract {contract.Name}"));
                }

                return;
            }
        }
    }

    private void CheckDuplicate(in Signal signal, long start, ref QualityWindow? w, EngineContext context)
    {
        ulong id;
        var messageId = _messageId.Get(signal.Attributes);
        if (messageId is not null)
        {
            id = Hash(messageId, _operationType.Get(signal.Attributes) ?? _operation.Get(signal.Attributes));
        }
        else if (signal.Kind == SignalKind.Span && signal.SpanId != 0)
        {
            id = signal.SpanId;
        }
        else
        {
            return;
        }

        var t = signal.TimeUnixNano;
        var dupStart = t - (t % _dupWindow);
        var slot = context.SlotOf(signal.Urn);
        if (!_idsCache.TryGet(slot, signal.Urn, out var ids) || ids.Forgotten)
        {
            if (!_ids.TryGetValue(signal.Urn, out ids))
            {
                if (_ids.Count >= _options.MaxTrackedUrns)
                {
                    _untracked++;
                    return;
                }

                ids = new DuplicateIds(dupStart);
                _ids[signal.Urn] = ids;
                _earliestIds = Math.Min(_earliestIds, dupStart);
            }

            _idsCache.Set(slot, signal.Urn, ids);
        }

        if (!ids.SeenBefore(id, dupStart, _dupWindow, _options.MaxIdsPerWindow))
        {
            return;
        }

        w ??= WindowOf(signal.Urn, start);
        if (w is null)
        {
            return;
        }

        w.Duplicates++;
        if (w.DuplicateSamples.Count < 3)
        {
            w.DuplicateSamples.Add(messageId is not null ? MessageId + " " + messageId : "span id " + signal.SpanId.ToString("x16", CultureInfo.InvariantCulture));
        }
    }

    private void Judge(string urn, QualityWindow w, EngineContext context)
    {
        var end = w.Start + _window;
        if (w.Missing.Count > 0)
        {
            var evidence = new List<Evidence>(w.Missing.Count);
            var worst = 0d;
            string? worstKey = null;
            foreach (var (key, n) in w.Missing)
            {
                var fraction = (double)n / Math.Max(1, w.Checked);
                evidence.Add(new Evidence("attribute", key, n, 0, $"{n} of {w.Checked} signals lack it"));
                if (fraction > worst || worstKey is null)
                {
                    worst = fraction;
                    worstKey = key;
                }
            }

            context.Emit(Finding.Create(Name, "dq.missing_attribute", urn, FindingSeverity.Warning, worst, w.Start, end, end,
                $"required attribute {worstKey} missing on {worst:P0} of {w.Checked} signals of {urn}" + (w.Missing.Count > 1 ? $" ({w.Missing.Count} keys)" : string.Empty), [.. evidence]));
        }

        if (w.FailedAssertions > 0)
        {
            context.Emit(Finding.Create(Name, "dq.assertion_failed", urn, FindingSeverity.Warning, w.FailedAssertions, w.Start, end, end,
                $"{w.FailedAssertions} data quality assertion(s) failed on {urn}: {w.Assertions[0].Reference}", [.. w.Assertions]));
        }

        if (w.ColumnMetrics.Count > 0)
        {
            context.Emit(Finding.Create(Name, "dq.column_metric", urn, FindingSeverity.Warning, w.ColumnMetrics.Count, w.Start, end, end,
                $"{w.ColumnMetrics[0].Reference} = {w.ColumnMetrics[0].Observed} on {urn}: {w.ColumnMetrics[0].Detail}", [.. w.ColumnMetrics]));
        }

        if (w.Duplicates > 0)
        {
            var evidence = new List<Evidence> { new("window", "duplicates", w.Duplicates, 0, $"window {_options.Window.TotalSeconds:0}s") };
            foreach (var s in w.DuplicateSamples)
            {
                evidence.Add(new Evidence("id", s));
            }

            context.Emit(Finding.Create(Name, "dq.duplicate", urn, FindingSeverity.Warning, w.Duplicates, w.Start, end, end,
                $"{w.Duplicates} duplicate id(s) on {urn}, e.g. {w.DuplicateSamples[0]}", [.. evidence]));
        }
    }
}
