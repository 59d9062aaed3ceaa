using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Threshold rules with <c>for</c> durations (<see cref="ThresholdRule"/>). A rule on a metric is judged at
/// every point of each matching series; a rule on a span percentile (<c>p99 &gt; 1500ms</c>) at the close of
/// every <see cref="ThresholdRuleEngineOptions.PercentileWindow"/> of the URN's spans. When the condition
/// has held continuously for the rule's <c>for</c> duration in event time, the rule fires once
/// (<c>anomaly.threshold</c>); it clears (and may fire again) as soon as a judged value does not breach,
/// a percentile window is missing or too sparse, or a series goes silent for
/// <see cref="ThresholdRuleEngineOptions.StaleAfter"/>.
/// </summary>
public sealed class ThresholdRuleEngine : Engine
{
    internal const string Kind = "anomaly.threshold";
    // Version 2 writes each state's rule as it stood (not only its name), so a rule changed while stopped is taken up as a
    // reload takes it up; version 1 is still read (its states kept by rule name).
    private const int StateVersion = 2;
    private const int MaxOpenWindows = 8;
    private const int MaxPooledSketches = 64;

    private readonly ThresholdRuleEngineOptions _options;
    private readonly IReadOnlyList<string> _seriesAttributes;
    private readonly ThresholdRuleSet _ruleSet;
    private ThresholdRule[] _rules;
    private readonly long _window;
    private readonly long _staleAfter;
    private readonly LruMap<RuleState> _states;
    private readonly KeyBuilder _key = new();
    private readonly Stack<QuantileSketch> _pool = new();
    private readonly List<RuleState> _expired = [];

    public ThresholdRuleEngine(AnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.RuleEvaluation;
        _seriesAttributes = options.Metrics.SeriesAttributes;
        _ruleSet = options.RuleSet;
        _rules = _ruleSet.Rules;

        _window = _options.PercentileWindow.Ticks * 100;
        _staleAfter = _options.StaleAfter.Ticks * 100;
        _states = new LruMap<RuleState>(_options.MaxStates);
    }

    public override string Name => "anomaly.threshold";

    public override bool Handles(SignalKind kind) => kind is SignalKind.Metric or SignalKind.Span;

    /// <summary>The rules as parsed.</summary>
    public IReadOnlyList<ThresholdRule> Rules => _rules;

    /// <summary>Rule states evicted so far to stay within <see cref="ThresholdRuleEngineOptions.MaxStates"/>.</summary>
    public long EvictedStates => _states.Evicted;

    /// <inheritdoc/>
    public override long Evictions => _states.Evicted;

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Adopt();
        if (signal.TimeUnixNano <= 0 || _rules.Length == 0)
        {
            return;
        }

        if (signal.Kind == SignalKind.Metric)
        {
            OnMetric(signal, context);
        }
        else if (signal.Kind == SignalKind.Span)
        {
            OnSpan(signal, context.Watermark);
        }
    }

    public override void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Adopt();
        for (var node = _states.Oldest; node != LruMap<RuleState>.None; node = _states.Newer(node))
        {
            var state = _states.ValueAt(node);
            var rule = _rules[state.Rule];
            while (state.Windows.Count > 0 && EarliestEnd(state) <= watermarkUnixNano)
            {
                var w = TakeEarliest(state);
                JudgeWindow(rule, state, w.Start, w.Sketch, context);
                Return(w.Sketch);
            }

            if (state.Since != long.MinValue && state.LastTime < watermarkUnixNano - _staleAfter && state.Windows.Count == 0)
            {
                Clear(state);
            }

            if (state.Windows.Count == 0 && state.LastTime < watermarkUnixNano - _staleAfter - _window)
            {
                _expired.Add(state);
            }
        }

        foreach (var state in _expired)
        {
            _states.Remove(state.Key);
        }

        _expired.Clear();
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateVersion);
        var rules = _rules;
        _states.Write(writer, (w, s) =>
        {
            w.Write(s.RuleName);
            var rule = rules[s.Rule];
            w.Write(rule.UrnPattern);
            w.Write(rule.Target);
            w.Write((int)rule.Comparison);
            w.Write(rule.Threshold);
            w.Write(rule.For.Ticks);
            w.Write((int)rule.Severity);
            w.Write(s.Urn);
            w.Write(s.Display);
            w.Write(s.Since);
            w.Write(s.LastTime);
            w.Write(s.LastWindowEnd);
            w.Write(s.Fired);
            w.Write(s.Windows.Count);
            foreach (var window in s.Windows)
            {
                w.Write(window.Start);
                window.Sketch.Write(w);
            }
        });
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var version = reader.ReadInt32();
        if (version is < 1 or > StateVersion)
        {
            throw new InvalidDataException($"anomaly.threshold state version {version} is not supported (expected 1 to {StateVersion}).");
        }

        _rules = _ruleSet.Rules;

        _states.Read(reader, (r, key) =>
        {
            var ruleName = r.ReadString();
            ThresholdRule? was = null;
            if (version >= 2)
            {
                was = new ThresholdRule(ruleName, r.ReadString(), r.ReadString(), (ThresholdComparison)r.ReadInt32(), r.ReadDouble(), TimeSpan.FromTicks(r.ReadInt64()), (FindingSeverity)r.ReadInt32());
            }

            var state = new RuleState(key, ruleName, r.ReadString(), r.ReadString())
            {
                Since = r.ReadInt64(),
                LastTime = r.ReadInt64(),
                LastWindowEnd = r.ReadInt64(),
                Fired = r.ReadBoolean(),
            };
            var windows = r.ReadInt32();
            for (var i = 0; i < windows; i++)
            {
                var start = r.ReadInt64();
                var sketch = Rent();
                sketch.Read(r);
                state.Windows.Add(new OpenWindow(start, sketch));
            }

            // The rule in force may differ from the one the state was kept under, as after a reload.
            state.Rule = was is null ? RuleIndex(ruleName) : Retarget(state, was);
            return state;
        });

        ForgetStatesWithoutRule();
    }

    private void OnMetric(in Signal signal, EngineContext context)
    {
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            if (rule.SpanPercentile is not null || !UrnPattern.Matches(rule.UrnPattern, signal.Urn) || !TryMetricValue(rule.Target, signal, out var value))
            {
                continue;
            }

            var state = GetState(i, rule, signal);
            if (signal.TimeUnixNano <= state.LastTime)
            {
                continue;
            }

            Judge(rule, state, signal.TimeUnixNano, signal.TimeUnixNano, value, rule.Holds(value), context);
        }
    }

    private void OnSpan(in Signal signal, long watermark)
    {
        var start = signal.TimeUnixNano - (signal.TimeUnixNano % _window);
        if (start + _window <= watermark)
        {
            return; // late: that window was already judged
        }

        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            if (rule.SpanPercentile is null || !UrnPattern.Matches(rule.UrnPattern, signal.Urn))
            {
                continue;
            }

            var state = GetState(i, rule, signal);
            QuantileSketch? sketch = null;
            foreach (var w in state.Windows)
            {
                if (w.Start == start)
                {
                    sketch = w.Sketch;
                    break;
                }
            }

            if (sketch is null)
            {
                if (state.Windows.Count >= MaxOpenWindows)
                {
                    continue;
                }

                sketch = Rent();
                state.Windows.Add(new OpenWindow(start, sketch));
            }

            sketch.Add(signal.Value);
        }
    }

    private void JudgeWindow(ThresholdRule rule, RuleState state, long start, QuantileSketch sketch, EngineContext context)
    {
        if (state.LastWindowEnd != start)
        {
            Clear(state); // a window without spans breaks "held continuously"
        }

        state.LastWindowEnd = start + _window;
        var value = sketch.Quantile(rule.SpanPercentile!.Value);
        var holds = sketch.Count >= _options.MinSpans && rule.Holds(value);
        Judge(rule, state, start, start + _window, value, holds, context);
    }

    private void Judge(ThresholdRule rule, RuleState state, long from, long time, double value, bool holds, EngineContext context)
    {
        state.LastTime = time;
        if (!holds)
        {
            Clear(state);
            return;
        }

        if (state.Since == long.MinValue)
        {
            state.Since = from;
        }

        var held = time - state.Since;
        if (state.Fired || held < rule.For.Ticks * 100)
        {
            return;
        }

        state.Fired = true;
        var heldFor = TimeSpan.FromTicks(held / 100);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Rule '{rule.Name}' on {state.Urn}: {state.Display} {rule.Operator} {rule.Threshold:G6} has held for {heldFor.TotalSeconds:0.#}s (now {value:G6})");
        context.Emit(AnomalyFindings.Create(Name, Kind, state.Urn, rule.Name + " " + state.Display, rule.Severity, 1.0, state.Since, time, time, summary,
            new Evidence(rule.SpanPercentile is null ? "metric" : "latency", state.Display, value, rule.Threshold,
                string.Create(CultureInfo.InvariantCulture, $"rule '{rule.Name}': {rule}; held {heldFor.TotalSeconds:0.#}s"))));
    }

    private RuleState GetState(int index, ThresholdRule rule, in Signal signal)
    {
        _key.Clear().Append(rule.Name).Append('\u001f').Append(signal.Urn).Append(' ');
        var displayFrom = _key.Span.Length;
        if (rule.SpanPercentile is null)
        {
            _key.Append(rule.Target);
            var first = true;
            foreach (var name in _seriesAttributes)
            {
                var v = signal.Attributes.Get(name);
                if (v is not null)
                {
                    _key.Append(first ? '{' : ',').Append(name).Append('=').Append(v);
                    first = false;
                }
            }

            if (!first)
            {
                _key.Append('}');
            }
        }
        else
        {
            _key.Append(rule.Target).Append("(spans)");
        }

        if (_states.TryGet(_key.Span, out var state))
        {
            return state;
        }

        var key = _key.ToString();
        state = new RuleState(key, rule.Name, signal.Urn, key[displayFrom..]) { Rule = index };
        if (_states.Add(key, state) is { } evicted)
        {
            ReturnWindows(evicted);
        }

        return state;
    }

    /// <summary>The value of <paramref name="target"/> in a metric point: its name, or a histogram percentile <c>name.p99</c>.</summary>
    private static bool TryMetricValue(string target, in Signal signal, out double value)
    {
        value = signal.Value;
        var name = signal.Name;
        if (string.Equals(target, name, StringComparison.Ordinal))
        {
            return double.IsFinite(value);
        }

        if (target.Length == name.Length + 4 && target.StartsWith(name, StringComparison.Ordinal) && target[name.Length] == '.')
        {
            var suffix = target.AsSpan(name.Length + 1);
            var key = suffix switch
            {
                "p50" => "p50",
                "p95" => "p95",
                "p99" => "p99",
                _ => null,
            };
            return key is not null && double.TryParse(signal.Attributes.Get(key), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }

        return false;
    }

    private long EarliestEnd(RuleState state)
    {
        var earliest = long.MaxValue;
        foreach (var w in state.Windows)
        {
            earliest = Math.Min(earliest, w.Start);
        }

        return earliest == long.MaxValue ? long.MaxValue : earliest + _window;
    }

    private static OpenWindow TakeEarliest(RuleState state)
    {
        var at = 0;
        for (var i = 1; i < state.Windows.Count; i++)
        {
            if (state.Windows[i].Start < state.Windows[at].Start)
            {
                at = i;
            }
        }

        var w = state.Windows[at];
        state.Windows.RemoveAt(at);
        return w;
    }

    private static void Clear(RuleState state)
    {
        state.Since = long.MinValue;
        state.Fired = false;
    }

    /// <summary>Takes up a reloaded rule set, if there is one (a reference compare per signal otherwise).</summary>
    private void Adopt()
    {
        if (!ReferenceEquals(_ruleSet.Rules, _rules))
        {
            TakeUpNewSet();
        }
    }

    /// <summary>
    /// A state whose rule is still there under its name, with the same target and URN pattern, stays (its open percentile
    /// windows are data of the same target); if anything else of the rule changed (comparison, threshold, <c>for</c>,
    /// severity) its <c>for</c> starts afresh. States of a rule gone or retargeted are forgotten.
    /// </summary>
    private void TakeUpNewSet()
    {
        var old = _rules;
        _rules = _ruleSet.Rules;
        for (var node = _states.Oldest; node != LruMap<RuleState>.None; node = _states.Newer(node))
        {
            var state = _states.ValueAt(node);
            state.Rule = state.Rule >= 0 && state.Rule < old.Length ? Retarget(state, old[state.Rule]) : -1;
        }

        ForgetStatesWithoutRule();
    }

    /// <summary>Drops the states whose rule is no longer in force (<see cref="RuleState.Rule"/> −1), after a restore or a reload.</summary>
    private void ForgetStatesWithoutRule()
    {
        for (var node = _states.Oldest; node != LruMap<RuleState>.None;)
        {
            var newer = _states.Newer(node);
            var state = _states.ValueAt(node);
            if (state.Rule < 0)
            {
                ReturnWindows(state);
                _states.Remove(_states.KeyAt(node));
            }

            node = newer;
        }
    }

    private void ReturnWindows(RuleState state)
    {
        foreach (var w in state.Windows)
        {
            Return(w.Sketch);
        }
    }

    /// <summary>
    /// The index in the rules in force of the rule named as <paramref name="state"/>'s, which was <paramref name="was"/>; -1
    /// when it is gone or now judges another target or URN pattern (the state is forgotten). A rule changed otherwise
    /// (comparison, threshold, <c>for</c>, severity) keeps the state with its condition cleared, so its <c>for</c> starts afresh.
    /// </summary>
    private int Retarget(RuleState state, ThresholdRule was)
    {
        var now = RuleIndex(state.RuleName);
        if (now < 0 || _rules[now].Target != was.Target || _rules[now].UrnPattern != was.UrnPattern)
        {
            return -1;
        }

        if (_rules[now] != was)
        {
            Clear(state);
        }

        return now;
    }

    private int RuleIndex(string name)
    {
        for (var i = 0; i < _rules.Length; i++)
        {
            if (string.Equals(_rules[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private QuantileSketch Rent() => _pool.TryPop(out var s) ? s : new QuantileSketch();

    private void Return(QuantileSketch sketch)
    {
        if (_pool.Count < MaxPooledSketches)
        {
            sketch.Reset();
            _pool.Push(sketch);
        }
    }

    private readonly record struct OpenWindow(long Start, QuantileSketch Sketch);

    private sealed record RuleState(string Key, string RuleName, string Urn, string Display)
    {
        /// <summary>Index of the state's rule in the rules in force; −1 once it has none (the state is about to be dropped).</summary>
        public int Rule { get; set; }

        public long Since { get; set; } = long.MinValue;

        public long LastTime { get; set; } = long.MinValue;

        public long LastWindowEnd { get; set; } = long.MinValue;

        public bool Fired { get; set; }

        public List<OpenWindow> Windows { get; } = [];
    }
}
