using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Multi-window, multi-burn-rate SLO alerts (Google SRE workbook) over the spans of each configured SLO's
/// URN. Good and bad spans are counted in one-minute event-time buckets in a ring covering 3 days; at every
/// minute the watermark closes, the burn rates over 5m, 30m, 1h, 6h and 3d are computed and each policy of
/// <see cref="BurnRate.StandardPolicies"/> whose long and short windows both burn faster than its factor fires
/// one <c>slo.burn</c> finding (again only after it has stopped firing).
/// </summary>
public sealed class SloBurnEngine : Engine
{
    internal const string Kind = "slo.burn";

    /// <summary>One-minute buckets kept: 3 days, the longest window of the standard policies.</summary>
    public const int RingMinutes = 3 * 24 * 60;

    private const long MinuteNanos = 60_000_000_000L;
    private const int StateVersion = 1;

    private readonly SloOptions[] _slos;
    private readonly LruMap<Target> _targets;
    private readonly KeyBuilder _key = new();

    public SloBurnEngine(AnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _slos = [.. options.Slos];
        _targets = new LruMap<Target>(options.SloEvaluation.MaxTargets);
    }

    public override string Name => "slo.burn";

    public override bool Handles(SignalKind kind) => kind == SignalKind.Span;

    /// <summary>(SLO, URN) budgets evicted so far to stay within the cap.</summary>
    public long EvictedTargets => _targets.Evicted;

    /// <inheritdoc/>
    public override long Evictions => _targets.Evicted;

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (signal.Kind != SignalKind.Span || signal.TimeUnixNano <= 0 || _slos.Length == 0 || signal.TimeUnixNano < context.Watermark)
        {
            return; // late spans would change minutes already judged
        }

        var minute = signal.TimeUnixNano / MinuteNanos;
        for (var i = 0; i < _slos.Length; i++)
        {
            var slo = _slos[i];
            if (!UrnPattern.Matches(slo.Urn, signal.Urn))
            {
                continue;
            }

            _key.Clear().Append(slo.Name).Append('\u001f').Append(signal.Urn);
            if (!_targets.TryGet(_key.Span, out var target))
            {
                target = new Target(i, signal.Urn) { LastEvaluated = minute - 1 };
                _targets.Add(_key.ToString(), target);
            }

            target.Add(minute, IsBad(slo, signal));
        }
    }

    public override void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var closed = (watermarkUnixNano / MinuteNanos) - 1;
        for (var node = _targets.Oldest; node != LruMap<Target>.None; node = _targets.Newer(node))
        {
            var target = _targets.ValueAt(node);
            if (context.SloStatus is { } board && target.LastEvaluated < closed)
            {
                Publish(board, target, closed);
            }

            for (var m = target.LastEvaluated + 1; m <= closed; m++)
            {
                if (m > target.Head + RingMinutes)
                {
                    Array.Clear(target.Firing);
                    target.LastEvaluated = closed; // every window is empty from here on: nothing can fire
                    break;
                }

                Evaluate(target, m, context);
                target.LastEvaluated = m;
            }
        }
    }

    /// <summary>Bad and total spans of (<paramref name="slo"/>, <paramref name="urn"/>) in the <paramref name="minutes"/> minutes ending with the minute holding <paramref name="endUnixNano"/> − 1 ns; for tests and the <c>slo</c> command.</summary>
    public (long Bad, long Total) Counts(string slo, string urn, long endUnixNano, int minutes)
    {
        ArgumentNullException.ThrowIfNull(slo);
        ArgumentNullException.ThrowIfNull(urn);
        _key.Clear().Append(slo).Append('\u001f').Append(urn);
        return _targets.TryGet(_key.Span, out var target) ? target.Sum((endUnixNano / MinuteNanos) - 1, minutes) : (0, 0);
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateVersion);
        _targets.Write(writer, (w, t) =>
        {
            w.Write(_slos[t.Slo].Name);
            w.Write(t.Urn);
            w.Write(t.Head);
            w.Write(t.LastEvaluated);
            foreach (var f in t.Firing)
            {
                w.Write(f);
            }

            var used = 0;
            for (var i = 0; i < RingMinutes; i++)
            {
                used += t.Total[i] > 0 ? 1 : 0;
            }

            w.Write(used);
            for (var i = 0; i < RingMinutes; i++)
            {
                if (t.Total[i] > 0)
                {
                    w.Write((short)i);
                    w.Write(t.Total[i]);
                    w.Write(t.Bad[i]);
                }
            }
        });
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var version = reader.ReadInt32();
        if (version != StateVersion)
        {
            throw new InvalidDataException($"slo.burn state version {version} is not supported (expected {StateVersion}).");
        }

        var stale = new List<string>();
        _targets.Read(reader, (r, key) =>
        {
            var name = r.ReadString();
            var slo = Array.FindIndex(_slos, s => s.Name == name);
            var target = new Target(Math.Max(slo, 0), r.ReadString()) { Head = r.ReadInt64(), LastEvaluated = r.ReadInt64() };
            for (var i = 0; i < target.Firing.Length; i++)
            {
                target.Firing[i] = r.ReadBoolean();
            }

            var used = r.ReadInt32();
            for (var i = 0; i < used; i++)
            {
                var at = r.ReadInt16();
                if (at is < 0 or >= RingMinutes)
                {
                    throw new InvalidDataException($"slo.burn bucket {at} is out of range.");
                }

                target.Total[at] = r.ReadInt32();
                target.Bad[at] = r.ReadInt32();
            }

            if (slo < 0)
            {
                stale.Add(key); // that SLO is no longer configured
            }

            return target;
        });
        foreach (var key in stale)
        {
            _targets.Remove(key);
        }
    }

    private static bool IsBad(SloOptions slo, in Signal span)
    {
        var bad = slo.Bad switch
        {
            SloBadDefinition.Error => span.Status == SignalStatus.Error,
            SloBadDefinition.Http5xx => span.StatusCode is >= 500 and < 600,
            _ => span.Status == SignalStatus.Error || span.StatusCode is >= 500 and < 600,
        };
        return bad || (slo.LatencyThreshold is { } l && span.Value > l.TotalMilliseconds);
    }

    private void Evaluate(Target target, long minute, EngineContext context)
    {
        var slo = _slos[target.Slo];
        var policies = BurnRate.StandardPolicies;
        for (var p = 0; p < policies.Count; p++)
        {
            var policy = policies[p];
            var longMinutes = (int)policy.LongWindow.TotalMinutes;
            var shortMinutes = (int)policy.ShortWindow.TotalMinutes;
            var (longBad, longTotal) = target.Sum(minute, longMinutes);
            var (shortBad, shortTotal) = target.Sum(minute, shortMinutes);
            var longBurn = BurnRate.Of(longBad, longTotal, slo.Objective);
            var shortBurn = BurnRate.Of(shortBad, shortTotal, slo.Objective);
            var fires = shortTotal >= slo.MinEvents && BurnRate.Fires(policy, longBurn, shortBurn);
            if (fires && !target.Firing[p])
            {
                Emit(target, slo, policy, minute, (longBad, longTotal, longBurn), (shortBad, shortTotal, shortBurn), context);
            }

            target.Firing[p] = fires;
        }
    }

    /// <summary>The windows <see cref="SloStatus"/> reports, shortest first.</summary>
    private static readonly (string Label, int Minutes)[] StatusWindows = [("5m", 5), ("30m", 30), ("1h", 60), ("6h", 360), ("3d", RingMinutes)];

    private void Publish(SloStatusBoard board, Target target, long minute)
    {
        var slo = _slos[target.Slo];
        var windows = new SloWindowStatus[StatusWindows.Length];
        for (var i = 0; i < windows.Length; i++)
        {
            var (bad, total) = target.Sum(minute, StatusWindows[i].Minutes);
            windows[i] = new SloWindowStatus(StatusWindows[i].Label, bad, total, BurnRate.Of(bad, total, slo.Objective));
        }

        // Which policies fire as of this minute, judged as Evaluate judges them.
        var firing = new List<string>();
        foreach (var policy in BurnRate.StandardPolicies)
        {
            var (longBad, longTotal) = target.Sum(minute, (int)policy.LongWindow.TotalMinutes);
            var (shortBad, shortTotal) = target.Sum(minute, (int)policy.ShortWindow.TotalMinutes);
            if (shortTotal >= slo.MinEvents && BurnRate.Fires(policy, BurnRate.Of(longBad, longTotal, slo.Objective), BurnRate.Of(shortBad, shortTotal, slo.Objective)))
            {
                firing.Add(policy.Name);
            }
        }

        var consumed3d = BurnRate.BudgetConsumed(windows[^1].BurnRate, TimeSpan.FromMinutes(RingMinutes), slo.Period);
        board.Publish(new SloStatus(slo.Name, target.Urn, slo.Objective, (minute + 1) * MinuteNanos, windows, firing, consumed3d));
    }

    private void Emit(Target target, SloOptions slo, BurnRatePolicy policy, long minute,
        (long Bad, long Total, double Burn) longWindow, (long Bad, long Total, double Burn) shortWindow, EngineContext context)
    {
        var end = (minute + 1) * MinuteNanos;
        var start = end - (policy.LongWindow.Ticks * 100);
        var consumed = BurnRate.BudgetConsumed(longWindow.Burn, policy.LongWindow, slo.Period);
        var (bad3d, total3d) = target.Sum(minute, RingMinutes);
        var consumed3d = BurnRate.BudgetConsumed(BurnRate.Of(bad3d, total3d, slo.Objective), TimeSpan.FromMinutes(RingMinutes), slo.Period);
        var score = Math.Min(1.0, Math.Min(longWindow.Burn, shortWindow.Burn) / (2 * policy.Factor));
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"SLO '{slo.Name}' ({slo.Objective:0.####}) on {target.Urn} is burning its error budget: {longWindow.Burn:0.##}x over {Label(policy.LongWindow)} and {shortWindow.Burn:0.##}x over {Label(policy.ShortWindow)} (threshold {policy.Factor}x); {consumed:P1} of the {Label(slo.Period)} budget spent in {Label(policy.LongWindow)}");
        context.Emit(AnomalyFindings.Create(Name, Kind, target.Urn, slo.Name + " " + policy.Name, policy.Severity, score, start, end, end, summary,
            new Evidence("burn_rate", $"{slo.Name} {Label(policy.LongWindow)}", longWindow.Burn, policy.Factor, $"{longWindow.Bad}/{longWindow.Total} bad"),
            new Evidence("burn_rate", $"{slo.Name} {Label(policy.ShortWindow)}", shortWindow.Burn, policy.Factor, $"{shortWindow.Bad}/{shortWindow.Total} bad"),
            new Evidence("error_budget", $"{slo.Name} consumed in {Label(policy.LongWindow)}", consumed, null, $"share of the {Label(slo.Period)} budget"),
            new Evidence("error_budget", $"{slo.Name} consumed in 3d", consumed3d, null, $"share of the {Label(slo.Period)} budget")));
    }

    private static string Label(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0}d"
        : span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0}h"
        : $"{span.TotalMinutes:0}m";

    private sealed class Target(int slo, string urn)
    {
        public int Slo { get; } = slo;

        public string Urn { get; } = urn;

        /// <summary>Latest minute written; buckets hold minutes (Head − RingMinutes, Head].</summary>
        public long Head { get; set; } = long.MinValue;

        public long LastEvaluated { get; set; }

        public int[] Total { get; } = new int[RingMinutes];

        public int[] Bad { get; } = new int[RingMinutes];

        public bool[] Firing { get; } = new bool[3];

        public void Add(long minute, bool bad)
        {
            if (Head == long.MinValue)
            {
                Head = minute;
            }
            else if (minute > Head)
            {
                var steps = Math.Min(minute - Head, RingMinutes);
                for (var m = minute - steps + 1; m <= minute; m++)
                {
                    var at = (int)(m % RingMinutes);
                    Total[at] = 0;
                    Bad[at] = 0;
                }

                Head = minute;
            }
            else if (minute <= Head - RingMinutes)
            {
                return;
            }

            var i = (int)(minute % RingMinutes);
            Total[i]++;
            if (bad)
            {
                Bad[i]++;
            }
        }

        /// <summary>Bad and total over the <paramref name="minutes"/> minutes ending with <paramref name="end"/> (inclusive).</summary>
        public (long Bad, long Total) Sum(long end, int minutes)
        {
            var from = Math.Max(end - minutes + 1, Head - RingMinutes + 1);
            var to = Math.Min(end, Head);
            long bad = 0;
            long total = 0;
            for (var m = from; m <= to; m++)
            {
                var at = (int)(m % RingMinutes);
                bad += Bad[at];
                total += Total[at];
            }

            return (bad, total);
        }
    }
}
