using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Contracts;

/// <summary>
/// Checks what arrives for a dataset against its data contract (<see cref="ContractSet"/>): schema (fields,
/// types, required) from the <c>schema.fields</c> of dataset lineage signals, quality rules against
/// <c>lineage.row_count</c> and <c>dq.*</c> column metrics, and the freshness and volume SLA on the watermark.
/// </summary>
/// <remarks>
/// Every contract is judged per tumbling event-time evaluation window (default 1 min) from the first
/// signal this shard sees for its dataset. A window with any violation, or in which the data is staler
/// than the freshness SLA, is bad; violations of a window become one <c>contract.violation</c> when it
/// closes, with one evidence per rule (observed against expected). Freshness is reported once per stale
/// episode, volume once per <c>sla.volume.per</c> period (the first, partial one is not judged).
/// <para>
/// The good/bad windows form the contract's SLO (objective <c>slo.objective</c>, default 0.99). Burn rates
/// are computed in event time over the newest windows: 1 h and 5 min (page at ≥ 14.4×, critical) and
/// 6 h and 30 min (≥ 6×, warning); a window not yet seen counts as good. <c>slo.burn</c> is emitted when a
/// pair starts firing and again only after it stopped.
/// </para>
/// </remarks>
public sealed class ContractEngine : Engine
{
    private const int MaxEvidence = 16;

    // Version 2 writes, per dataset, the contract's terms the state was kept under (see WriteTerms), so a contract changed
    // while stopped is taken up as a reload takes it up. Version 1 (no version written) is still read.
    private const int StateVersion = 2;

    private readonly ContractOptions _options;
    private readonly ContractCatalog _catalog;
    private readonly long _window;
    private readonly int _ring;
    private readonly Dictionary<string, ContractState> _states = new(StringComparer.Ordinal);
    private ContractSet _contracts;

    public ContractEngine(ContractOptions options, ContractSet contracts)
        : this(options, ContractCatalog.Of(contracts ?? throw new ArgumentNullException(nameof(contracts))))
    {
    }

    /// <summary>An engine checking the contracts in force in <paramref name="catalog"/>; a reload is taken up at the next signal or watermark.</summary>
    public ContractEngine(ContractOptions options, ContractCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        _options = options;
        _catalog = catalog;
        _contracts = catalog.Current;
        _window = options.EvaluationWindow.Ticks * 100;
        _ring = (int)(TimeSpan.FromHours(6).Ticks / options.EvaluationWindow.Ticks);
    }

    public override string Name => "contract";

    public override bool Handles(SignalKind kind) => kind is SignalKind.Lineage or SignalKind.Record or SignalKind.Metric;

    /// <summary>Contracts this engine checks, and the files that failed to load.</summary>
    public ContractSet Contracts => _contracts;

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        if (signal.TimeUnixNano <= 0 || signal.Kind is not (SignalKind.Lineage or SignalKind.Record or SignalKind.Metric))
        {
            return;
        }

        Adopt();
        var contract = _contracts.Find(signal.Urn);
        if (contract is null)
        {
            return;
        }

        var t = signal.TimeUnixNano;
        if (!_states.TryGetValue(signal.Urn, out var state))
        {
            state = new ContractState(contract, _ring) { FirstSeen = t, NextWindow = t - (t % _window) };
            _states[signal.Urn] = state;
        }

        var isWrite = !string.Equals(signal.Attributes.Get("lineage.direction"), "input", StringComparison.Ordinal);
        if (signal.Kind == SignalKind.Lineage)
        {
            if (isWrite)
            {
                Touch(state, t);
            }

            CheckSchema(state, signal);
            return;
        }

        if (signal.Kind == SignalKind.Record && string.Equals(signal.Name, "lineage.row_count", StringComparison.Ordinal))
        {
            if (isWrite)
            {
                Touch(state, t);
                if (contract.Sla.VolumeMin is not null && contract.Sla.VolumePer is { } per)
                {
                    var p = Period(t, per);
                    state.Volume[p] = state.Volume.GetValueOrDefault(p) + signal.Value;
                }
            }
        }

        CheckRules(state, signal);
    }

    public override void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
        Adopt();
        foreach (var state in _states.Values)
        {
            // A watermark far ahead (a long pause) closes at most one ring of windows; older ones could not count anyway.
            var behind = (watermarkUnixNano - state.NextWindow) / _window;
            if (behind > _ring)
            {
                state.NextWindow += (behind - _ring) * _window;
            }

            while (state.NextWindow + _window <= watermarkUnixNano)
            {
                Close(state, state.NextWindow, context);
                state.NextWindow += _window;
            }
        }
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(-StateVersion); // a count is never negative: snapshots before versions start with the count
        writer.Write(_states.Count);
        foreach (var (urn, s) in _states)
        {
            writer.Write(urn);
            WriteTerms(writer, s.Contract);
            writer.Write(s.FirstSeen);
            writer.Write(s.LastUpdate);
            writer.Write(s.StaleReported);
            writer.Write(s.LastSchema ?? string.Empty);
            writer.Write(s.NextWindow);
            writer.Write(s.FastFiring);
            writer.Write(s.SlowFiring);
            writer.Write(s.Pending.Count);
            foreach (var (start, list) in s.Pending)
            {
                writer.Write(start);
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

            writer.Write(s.Volume.Count);
            foreach (var (start, rows) in s.Volume)
            {
                writer.Write(start);
                writer.Write(rows);
            }

            s.Windows.Write(writer);
        }
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _states.Clear();
        _contracts = _catalog.Current;
        var first = reader.ReadInt32();
        var version = first < 0 ? -first : 1;
        if (version > StateVersion)
        {
            throw new InvalidDataException($"contract state version {version} is not supported (expected at most {StateVersion}).");
        }

        var count = version == 1 ? first : reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var urn = reader.ReadString();
            var contract = _contracts.Find(urn);

            // The terms the state was kept under (version 1 did not write them: the contract in force stands in, and a
            // volume period that changed is told by counts off its boundaries). A contract removed since is read and dropped.
            var held = version == 1 ? contract : ReadTerms(reader, urn);
            var s = new ContractState(held ?? contract ?? Placeholder(urn, [], null), _ring)
            {
                FirstSeen = reader.ReadInt64(),
                LastUpdate = reader.ReadInt64(),
                StaleReported = reader.ReadBoolean(),
                LastSchema = NullIfEmpty(reader.ReadString()),
                NextWindow = reader.ReadInt64(),
                FastFiring = reader.ReadBoolean(),
                SlowFiring = reader.ReadBoolean(),
            };
            var pending = reader.ReadInt32();
            for (var j = 0; j < pending; j++)
            {
                var start = reader.ReadInt64();
                var n = reader.ReadInt32();
                var list = new List<Evidence>(Math.Min(n, MaxEvidence));
                for (var k = 0; k < n; k++)
                {
                    var type = reader.ReadString();
                    var reference = reader.ReadString();
                    var observed = reader.ReadDouble();
                    var expected = reader.ReadDouble();
                    var detail = reader.ReadString();
                    list.Add(new Evidence(type, reference, double.IsNaN(observed) ? null : observed, double.IsNaN(expected) ? null : expected, NullIfEmpty(detail)));
                }

                s.Pending[start] = list;
            }

            var volumes = reader.ReadInt32();
            for (var j = 0; j < volumes; j++)
            {
                s.Volume[reader.ReadInt64()] = reader.ReadDouble();
            }

            s.Windows.Read(reader);
            if (contract is not null)
            {
                if (version == 1 && contract.Sla.VolumePer is { } per && s.Volume.Keys.Any(start => start % (per.Ticks * 100) != 0))
                {
                    CountVolumeAfresh(s); // the period changed while stopped
                }

                TakeUp(s, contract); // the contract may have changed while stopped, as by a reload
                _states[urn] = s;
            }
        }
    }

    /// <summary>What of a contract the state depends on: the volume period its rows were counted by and the schema judged.</summary>
    private static void WriteTerms(BinaryWriter writer, DataContract contract)
    {
        writer.Write(contract.Sla.VolumePer?.Ticks ?? 0L);
        writer.Write(contract.Schema.Count);
        foreach (var field in contract.Schema)
        {
            writer.Write(field.Name);
            writer.Write(field.Type ?? string.Empty);
            writer.Write(field.Required);
        }
    }

    private static DataContract ReadTerms(BinaryReader reader, string urn)
    {
        var per = reader.ReadInt64();
        var fields = new ContractField[reader.ReadInt32()];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = new ContractField(reader.ReadString(), NullIfEmpty(reader.ReadString()), reader.ReadBoolean());
        }

        return Placeholder(urn, fields, per == 0 ? null : TimeSpan.FromTicks(per));
    }

    /// <summary>A contract standing for terms read from a snapshot (or for none, when the contract went while stopped).</summary>
    private static DataContract Placeholder(string urn, IReadOnlyList<ContractField> schema, TimeSpan? volumePer) =>
        new(urn, string.Empty, urn, null, null, schema, [], new ContractSla(null, null, volumePer), 0.99);

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    /// <summary>
    /// Takes up the catalog's set when it was reloaded: a dataset whose contract stayed keeps what was learned (windows,
    /// last update, burn-rate state) under its new terms, as after a restart; one whose contract went is forgotten; a
    /// changed schema is judged afresh at the dataset's next schema (the one reported under the old terms may pass now).
    /// </summary>
    private void Adopt()
    {
        var current = _catalog.Current;
        if (ReferenceEquals(current, _contracts))
        {
            return;
        }

        _contracts = current;
        foreach (var (urn, state) in _states)
        {
            if (current.Find(urn) is not { } contract)
            {
                _states.Remove(urn); // allowed while enumerating: removing does not invalidate the enumerator
                continue;
            }

            TakeUp(state, contract);
        }
    }

    /// <summary>
    /// Puts a dataset's state under <paramref name="contract"/>, which may differ from the terms it was kept under: a
    /// changed schema is judged again at the dataset's next schema, a changed volume period counts afresh.
    /// </summary>
    private static void TakeUp(ContractState state, DataContract contract)
    {
        if (!state.Contract.Schema.SequenceEqual(contract.Schema))
        {
            state.LastSchema = null;
        }

        if (state.Contract.Sla.VolumePer != contract.Sla.VolumePer)
        {
            CountVolumeAfresh(state);
        }

        state.Contract = contract;
    }

    /// <summary>
    /// The volume SLA's period changed: the rows counted per old period cannot be split into the new ones, so they are
    /// dropped and only periods that start from the oldest open window on are judged (as for a dataset first seen
    /// mid-period): one period may go unjudged, none is judged on a partial count.
    /// </summary>
    private static void CountVolumeAfresh(ContractState state)
    {
        state.Volume.Clear();
        state.FirstSeen = Math.Max(state.FirstSeen, state.NextWindow);
    }

    private static long Period(long t, TimeSpan per)
    {
        var p = per.Ticks * 100;
        return t - (t % p);
    }

    private static void Touch(ContractState state, long t)
    {
        if (t > state.LastUpdate)
        {
            state.LastUpdate = t;
            state.StaleReported = false;
        }
    }

    private void Violation(ContractState state, long t, Evidence evidence)
    {
        var start = Math.Max(t - (t % _window), state.NextWindow);
        if (!state.Pending.TryGetValue(start, out var list))
        {
            list = [];
            state.Pending[start] = list;
        }

        if (list.Count < MaxEvidence)
        {
            list.Add(evidence);
        }
    }

    private void CheckSchema(ContractState state, in Signal signal)
    {
        var contract = state.Contract;
        var fingerprint = signal.Attributes.Get(SchemaFields.Fingerprint);
        if (contract.Schema.Count == 0 || fingerprint is null || string.Equals(fingerprint, state.LastSchema, StringComparison.Ordinal))
        {
            return;
        }

        state.LastSchema = fingerprint;
        var list = signal.Attributes.Get(SchemaFields.Attribute);
        if (list is null)
        {
            return; // too wide to list: the fingerprint alone cannot say which field broke the contract
        }

        var observed = SchemaFields.Parse(list);
        foreach (var field in contract.Schema)
        {
            string? type = null;
            foreach (var (name, t) in observed)
            {
                if (string.Equals(name, field.Name, StringComparison.Ordinal))
                {
                    type = t;
                    break;
                }
            }

            if (type is null)
            {
                if (field.Required)
                {
                    Violation(state, signal.TimeUnixNano, new Evidence("schema", $"schema.{field.Name}", null, null, $"required field '{field.Name}' is missing (schema {fingerprint})"));
                }
            }
            else if (!SchemaFields.TypeMatches(field.Type, type))
            {
                Violation(state, signal.TimeUnixNano, new Evidence("schema", $"schema.{field.Name}", null, null, $"field '{field.Name}' has type {type}, the contract says {field.Type}"));
            }
        }
    }

    private void CheckRules(ContractState state, in Signal signal)
    {
        var rules = state.Contract.Quality;
        string? column = null;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (!string.Equals(rule.SignalName, signal.Name, StringComparison.Ordinal))
            {
                continue;
            }

            if (rule.Column is not null)
            {
                column ??= signal.Attributes.Get("column");
                if (!string.Equals(rule.Column, column, StringComparison.Ordinal))
                {
                    continue;
                }
            }

            if (!rule.Holds(signal.Value))
            {
                Violation(state, signal.TimeUnixNano, new Evidence("rule", rule.Text, signal.Value, rule.Threshold, $"quality rule '{rule.Text}' failed: observed {Format(signal.Value)}"));
            }
        }
    }

    private void Close(ContractState state, long start, EngineContext context)
    {
        var contract = state.Contract;
        var end = start + _window;
        state.Pending.Remove(start, out var violations);
        violations ??= [];

        var bad = false;
        if (contract.Sla.Freshness is { } freshness && state.LastUpdate > 0)
        {
            var age = end - state.LastUpdate;
            if (age > freshness.Ticks * 100)
            {
                bad = true;
                if (!state.StaleReported)
                {
                    state.StaleReported = true;
                    violations.Add(new Evidence("sla", "sla.freshness", age / 1e9, freshness.TotalSeconds, $"last update {TimeSpan.FromTicks(age / 100)} ago, the SLA allows {freshness}"));
                }
            }
        }

        if (contract.Sla is { VolumeMin: { } min, VolumePer: { } per } && (end % (per.Ticks * 100)) == 0)
        {
            var periodStart = end - (per.Ticks * 100);
            var rows = state.Volume.GetValueOrDefault(periodStart);
            if (periodStart >= state.FirstSeen && rows < min)
            {
                violations.Add(new Evidence("sla", "sla.volume", rows, min, $"{Format(rows)} rows in {per}, the SLA asks at least {min}"));
            }

            while (state.Volume.Count > 0 && FirstKey(state.Volume) <= periodStart)
            {
                state.Volume.Remove(FirstKey(state.Volume));
            }
        }

        bad |= violations.Count > 0;
        state.Windows.Add(bad);
        if (violations.Count > 0)
        {
            var first = violations[0];
            var more = violations.Count > 1 ? $" (and {violations.Count - 1} more)" : string.Empty;
            context.Emit(Finding.Create(Name, "contract.violation", contract.Urn, SeverityOf(contract), violations.Count, start, end, end,
                $"contract {contract.Name}: {first.Reference}: {first.Detail}{more}", [.. violations]));
        }

        Burn(state, start, end, context);
    }

    private void Burn(ContractState state, long start, long end, EngineContext context)
    {
        var perHour = (int)(TimeSpan.FromHours(1).Ticks / _options.EvaluationWindow.Ticks);
        var per5m = (int)(TimeSpan.FromMinutes(5).Ticks / _options.EvaluationWindow.Ticks);
        var objective = state.Contract.SloObjective;
        var w = state.Windows;
        var fastLong = BurnRate.Of(w.BadInLast(perHour), perHour, objective);
        var fastShort = BurnRate.Of(w.BadInLast(per5m), per5m, objective);
        var slowLong = BurnRate.Of(w.BadInLast(6 * perHour), 6 * perHour, objective);
        var slowShort = BurnRate.Of(w.BadInLast(6 * per5m), 6 * per5m, objective);
        var fast = fastLong >= _options.FastBurnRate && fastShort >= _options.FastBurnRate;
        var slow = slowLong >= _options.SlowBurnRate && slowShort >= _options.SlowBurnRate;
        if (fast && !state.FastFiring)
        {
            EmitBurn(state, "1h/5m", fastLong, fastShort, _options.FastBurnRate, FindingSeverity.Critical, start, end, context);
        }
        else if (slow && !state.SlowFiring && !fast)
        {
            EmitBurn(state, "6h/30m", slowLong, slowShort, _options.SlowBurnRate, FindingSeverity.Warning, start, end, context);
        }

        state.FastFiring = fast;
        state.SlowFiring = slow;
    }

    private void EmitBurn(ContractState state, string windows, double longRate, double shortRate, double factor, FindingSeverity severity, long start, long end, EngineContext context)
    {
        var c = state.Contract;
        context.Emit(Finding.Create(Name, "slo.burn", c.Urn, severity, longRate, start, end, end,
            $"contract {c.Name}: SLO {c.SloObjective:P2} burning at {longRate:0.#}× over {windows} (threshold {factor}×)",
            new Evidence("burn_rate", $"{c.Name} {windows.Split('/')[0]}", longRate, factor, $"objective {c.SloObjective.ToString(CultureInfo.InvariantCulture)}"),
            new Evidence("burn_rate", $"{c.Name} {windows.Split('/')[1]}", shortRate, factor)));
    }

    private static long FirstKey(SortedDictionary<long, double> d)
    {
        foreach (var k in d.Keys)
        {
            return k;
        }

        return long.MaxValue;
    }

    private static FindingSeverity SeverityOf(DataContract c) =>
        c.Tier is { } tier && (tier.Equals("gold", StringComparison.OrdinalIgnoreCase) || tier.Equals("tier1", StringComparison.OrdinalIgnoreCase) || tier.Equals("critical", StringComparison.OrdinalIgnoreCase))
            ? FindingSeverity.Critical
            : FindingSeverity.Warning;

    private static string Format(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
