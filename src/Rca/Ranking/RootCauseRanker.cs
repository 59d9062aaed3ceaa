using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Rca.Context;
using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Ranking;

/// <summary>
/// Ranks root causes in the MicroRank / MicroRCA family. Four signals per asset of the context graph:
/// <list type="number">
/// <item><b>Walk share</b>: a personalized PageRank over the dependency graph walked against the fault direction
/// (from a symptom towards what it depends on). A walker at v moves to each dependency u with weight
/// β + e(u), stays with weight max(0, e(v) − max e(dependencies)) + 2·c(v) (v is more anomalous than anything it
/// depends on, or changed just before: the fault starts here), and steps back to a dependent d with weight ρ·e(d)
/// (so a healthy dead end returns the walker). A dependency that started more than the onset tolerance after its
/// dependent gets a third of its weight: causes precede effects. The walk restarts with probability α to the
/// personalization e(v) + c(v)/2.</item>
/// <item><b>Onset</b>: exp(−(onset − earliest onset) / 10 min).</item>
/// <item><b>Strength</b> e(v): the worst finding (info 0.3, warning 0.6, critical 0.9, + 0.1 × its score clamped to
/// [0, 1]) plus 0.05 × log2(number of findings), at most 1. An asset without findings whose direct dependents are
/// anomalous gets an inferred strength: the Ochiai coefficient of MicroRank's spectrum analysis (anomalous
/// dependents through it vs healthy ones and anomalous assets elsewhere) times (1 − 1/anomalous dependents), so a
/// single failing caller never implicates its dependency but a shared dependency of several does.</item>
/// <item><b>Change</b> c(v): a deploy (1.0), schema (0.9), config (0.8) or contract (0.6) change on the asset between
/// the look-back and its onset (plus the tolerance), times exp(−gap / change decay).</item>
/// </list>
/// Raw score = 0.35 walk share (normalized to the top) + 0.20 onset + 0.15 strength + 0.30 change. The
/// confidence is calibrated from it: softmax(raw / 0.1) over all candidates (so a close runner-up halves it),
/// times (0.5 + 0.5 · n / (n + 1)) for n independent pieces of evidence (findings, anomalous dependents, a
/// change), times 0.95 (a ranking is never certain). Without a graph the walk has nowhere to go and the ranking
/// falls back to onset, strength and change.
/// </summary>
internal sealed class RootCauseRanker(RcaOptions options)
{
    private const double Alpha = 0.15;
    private const double Beta = 0.3;
    private const double Rho = 0.2;
    private const double LateCause = 1.0 / 3;
    private const double WalkWeight = 0.35;
    private const double OnsetWeight = 0.20;
    private const double StrengthWeight = 0.15;
    private const double ChangeWeight = 0.30;
    private const double Temperature = 0.1;
    private const double Ceiling = 0.95;
    private const double ReportedSymptom = 0.3;
    private static readonly long OnsetScale = TimeSpan.FromMinutes(10).Ticks * 100;

    public RankingResult Rank(RcaContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var g = context.Graph;
        var n = g.Count;
        if (n == 0)
        {
            return new RankingResult([], 0, false);
        }

        var findings = new List<Finding>?[n];
        var observed = new double[n];
        var onset = new long[n];
        Array.Fill(onset, long.MaxValue);
        foreach (var f in context.Findings)
        {
            if (!g.TryGet(f.Urn, out var v))
            {
                continue;
            }

            (findings[v] ??= []).Add(f);
            observed[v] = Math.Max(observed[v], FindingStrength(f));
            onset[v] = Math.Min(onset[v], f.WindowStartUnixNano);
        }

        for (var v = 0; v < n; v++)
        {
            if (findings[v] is { Count: > 1 } list)
            {
                observed[v] = Math.Min(1, observed[v] + (0.05 * Math.Log2(list.Count)));
            }
        }

        if (context.SymptomUrn is { } reported && g.TryGet(reported, out var r))
        {
            observed[r] = Math.Max(observed[r], ReportedSymptom);
        }

        var earliest = long.MaxValue;
        var symptoms = 0;
        for (var v = 0; v < n; v++)
        {
            earliest = Math.Min(earliest, onset[v]);
            symptoms += observed[v] > 0 ? 1 : 0;
        }

        if (earliest == long.MaxValue)
        {
            earliest = context.FromUnixNano;
        }

        // Inferred strength of shared dependencies (spectrum analysis over direct dependents).
        var strength = (double[])observed.Clone();
        var anomalousDirect = new int[n];
        for (var v = 0; v < n; v++)
        {
            var ef = 0;
            var firstDependent = long.MaxValue;
            foreach (var d in g.Down[v])
            {
                if (observed[d] > 0)
                {
                    ef++;
                    firstDependent = Math.Min(firstDependent, onset[d]);
                }
            }

            anomalousDirect[v] = ef;
            if (ef < 2)
            {
                continue;
            }

            var ep = Math.Max(0, Math.Max(g.Dependents[v], g.Down[v].Count) - ef);
            var nf = symptoms - ReachableAnomalous(g, v, observed) - (observed[v] > 0 ? 1 : 0);
            var ochiai = ef / Math.Sqrt((double)(ef + Math.Max(0, nf)) * (ef + ep));
            var inferred = ochiai * (1 - (1.0 / ef));
            if (inferred > strength[v])
            {
                strength[v] = inferred;
                if (onset[v] == long.MaxValue)
                {
                    onset[v] = firstDependent; // a cause is at least as early as the first of its effects
                }
            }
        }

        var (change, changeOf) = ChangeScores(context, g, onset, earliest);
        var walk = Walk(g, strength, change, onset);
        var maxWalk = walk.Max();
        var tolerance = RcaContextBuilder.Nanos(options.OnsetTolerance);

        var candidates = new List<int>();
        var raw = new double[n];
        var onsetScore = new double[n];
        for (var v = 0; v < n; v++)
        {
            var share = maxWalk > 0 ? walk[v] / maxWalk : 0;
            onsetScore[v] = onset[v] == long.MaxValue ? 0 : Math.Exp(-(double)(onset[v] - earliest) / OnsetScale);
            if (strength[v] <= 0 && change[v] <= 0 && share < 0.5)
            {
                continue;
            }

            raw[v] = (WalkWeight * share) + (OnsetWeight * onsetScore[v]) + (StrengthWeight * strength[v]) + (ChangeWeight * change[v]);
            candidates.Add(v);
        }

        if (candidates.Count == 0)
        {
            return new RankingResult([], 0, context.GraphAvailable);
        }

        // Calibration: softmax over every candidate, tempered by how much independent evidence each has.
        var top = candidates.Max(v => raw[v]);
        var sum = candidates.Sum(v => Math.Exp((raw[v] - top) / Temperature));
        var confidence = new double[n];
        foreach (var v in candidates)
        {
            var p = Math.Exp((raw[v] - top) / Temperature) / sum;
            var pieces = (findings[v]?.Count ?? 0) + (observed[v] > 0 ? 0 : anomalousDirect[v]) + (change[v] > 0 ? 1 : 0);
            var evidence = pieces / (pieces + 1.0);
            confidence[v] = Math.Round(Ceiling * p * (0.5 + (0.5 * evidence)), 3);
        }

        candidates.Sort((a, b) => confidence[b] != confidence[a] ? confidence[b].CompareTo(confidence[a])
            : raw[b] != raw[a] ? raw[b].CompareTo(raw[a])
            : onset[a] != onset[b] ? onset[a].CompareTo(onset[b])
            : string.CompareOrdinal(g.Urns[a], g.Urns[b]));

        var suspects = new List<RankedSuspect>(Math.Min(candidates.Count, options.MaxRootCauses));
        for (var i = 0; i < candidates.Count && i < options.MaxRootCauses; i++)
        {
            var v = candidates[i];
            var runnerUp = i == 0 && candidates.Count > 1 ? candidates[1] : -1;
            var reasons = Reasons(context, g, v, i, runnerUp, raw, walk, maxWalk, onset, earliest, observed, strength, anomalousDirect, changeOf[v], findings[v], tolerance);
            var downstream = ReachableAnomalous(g, v, observed);
            suspects.Add(new RankedSuspect(
                g.Urns[v], ContextGraph.KindOf(g.Urns[v]), confidence[v], Math.Round(raw[v], 4), maxWalk > 0 ? Math.Round(walk[v] / maxWalk, 4) : 0,
                Math.Round(onsetScore[v], 4), Math.Round(strength[v], 4), observed[v] <= 0 && strength[v] > 0, Math.Round(change[v], 4), changeOf[v],
                onset[v] == long.MaxValue ? null : onset[v], downstream, Math.Max(g.Dependents[v], g.Down[v].Count),
                (IReadOnlyList<Finding>?)findings[v] ?? [], reasons, RankEvidence(changeOf[v], findings[v], observed[v] <= 0 && strength[v] > 0, anomalousDirect[v], Math.Max(g.Dependents[v], g.Down[v].Count), onset[v])));
        }

        return new RankingResult(suspects, candidates.Count, context.GraphAvailable);
    }

    /// <summary>Severity dominates: engines' scores are on different scales (ratios, z-scores, counts), the severity is not.</summary>
    internal static double FindingStrength(Finding f)
    {
        var severity = f.Severity switch
        {
            FindingSeverity.Critical => 0.9,
            FindingSeverity.Warning => 0.6,
            _ => 0.3,
        };
        var score = double.IsFinite(f.Score) ? Math.Clamp(f.Score, 0, 1) : 0;
        return severity + (0.1 * score);
    }

    private (double[] Score, ChangeEvent?[] Change) ChangeScores(RcaContext context, ContextGraph g, long[] onset, long earliest)
    {
        var score = new double[g.Count];
        var best = new ChangeEvent?[g.Count];
        var lookback = RcaContextBuilder.Nanos(options.ChangeLookback);
        var tolerance = RcaContextBuilder.Nanos(options.OnsetTolerance);
        var decay = (double)RcaContextBuilder.Nanos(options.ChangeDecay);
        foreach (var c in context.Changes)
        {
            if (!g.TryGet(c.Urn, out var v))
            {
                continue;
            }

            var reference = onset[v] == long.MaxValue ? earliest : onset[v];
            if (c.TimeUnixNano > reference + tolerance || c.TimeUnixNano < earliest - lookback)
            {
                continue; // after the trouble began (a fix, or unrelated), or too long before it
            }

            var weight = c.Kind switch
            {
                "deploy" => 1.0,
                "schema" => 0.9,
                "config" => 0.8,
                "contract" => 0.6,
                _ => 0.5,
            };
            var s = weight * Math.Exp(-Math.Max(0, reference - c.TimeUnixNano) / decay);
            if (s > score[v])
            {
                score[v] = s;
                best[v] = c;
            }
        }

        return (score, best);
    }

    /// <summary>Personalized PageRank by power iteration over the transition weights described on the class.</summary>
    private double[] Walk(ContextGraph g, double[] strength, double[] change, long[] onset)
    {
        var n = g.Count;
        var tolerance = RcaContextBuilder.Nanos(options.OnsetTolerance);
        var personal = new double[n];
        var total = 0.0;
        for (var v = 0; v < n; v++)
        {
            personal[v] = strength[v] + (0.5 * change[v]);
            total += personal[v];
        }

        if (total <= 0)
        {
            return new double[n];
        }

        for (var v = 0; v < n; v++)
        {
            personal[v] /= total;
        }

        // Transitions in CSR form: targets and probabilities per node; a node with no weight at all is dangling.
        var start = new int[n + 1];
        var targets = new List<int>(n * 4);
        var probabilities = new List<double>(n * 4);
        var weights = new List<(int Target, double Weight)>();
        for (var v = 0; v < n; v++)
        {
            weights.Clear();
            var maxUp = 0.0;
            foreach (var u in g.Up[v])
            {
                maxUp = Math.Max(maxUp, strength[u]);
                var w = Beta + strength[u];
                if (onset[u] != long.MaxValue && onset[v] != long.MaxValue && onset[u] > onset[v] + tolerance)
                {
                    w *= LateCause;
                }

                weights.Add((u, w));
            }

            var stay = Math.Max(0, strength[v] - maxUp) + (2 * change[v]);
            if (stay > 0)
            {
                weights.Add((v, stay));
            }

            foreach (var d in g.Down[v])
            {
                if (strength[d] > 0)
                {
                    weights.Add((d, Rho * strength[d]));
                }
            }

            var sum = 0.0;
            foreach (var (_, w) in weights)
            {
                sum += w;
            }

            start[v] = targets.Count;
            if (sum > 0)
            {
                foreach (var (t, w) in weights)
                {
                    targets.Add(t);
                    probabilities.Add(w / sum);
                }
            }
        }

        start[n] = targets.Count;
        var x = (double[])personal.Clone();
        var next = new double[n];
        for (var iteration = 0; iteration < 60; iteration++)
        {
            var dangling = 0.0;
            Array.Clear(next);
            for (var v = 0; v < n; v++)
            {
                if (start[v] == start[v + 1])
                {
                    dangling += x[v];
                    continue;
                }

                for (var k = start[v]; k < start[v + 1]; k++)
                {
                    next[targets[k]] += x[v] * probabilities[k];
                }
            }

            var delta = 0.0;
            for (var v = 0; v < n; v++)
            {
                var value = (Alpha * personal[v]) + ((1 - Alpha) * (next[v] + (dangling * personal[v])));
                delta += Math.Abs(value - x[v]);
                x[v] = value;
            }

            if (delta < 1e-9)
            {
                break;
            }
        }

        return x;
    }

    /// <summary>Anomalous assets that depend on <paramref name="v"/> directly or through others in the context graph.</summary>
    private static int ReachableAnomalous(ContextGraph g, int v, double[] observed)
    {
        var seen = new bool[g.Count];
        seen[v] = true;
        var stack = new Stack<int>();
        stack.Push(v);
        var count = 0;
        while (stack.TryPop(out var x))
        {
            foreach (var d in g.Down[x])
            {
                if (!seen[d])
                {
                    seen[d] = true;
                    count += observed[d] > 0 ? 1 : 0;
                    stack.Push(d);
                }
            }
        }

        return count;
    }

    private static List<string> Reasons(
        RcaContext context, ContextGraph g, int v, int rank, int runnerUp, double[] raw, double[] walk, double maxWalk, long[] onset, long earliest,
        double[] observed, double[] strength, int[] anomalousDirect, ChangeEvent? change, List<Finding>? findings, long tolerance)
    {
        var reasons = new List<string>();
        if (change is not null)
        {
            var reference = onset[v] == long.MaxValue ? earliest : onset[v];
            var gap = reference - change.TimeUnixNano;
            reasons.Add(gap >= 0
                ? $"{change.Kind} change {Duration(gap)} before its anomalies began: {change.Description}"
                : $"{change.Kind} change at the onset of its anomalies: {change.Description}");
        }

        var dependents = new List<string>();
        foreach (var d in g.Down[v])
        {
            if (observed[d] > 0)
            {
                dependents.Add(g.Urns[d]);
            }
        }

        var transitive = ReachableAnomalous(g, v, observed);
        if (transitive > 0)
        {
            var names = string.Join(", ", dependents.Take(3));
            reasons.Add(dependents.Count > 0
                ? $"upstream (in the fault direction) of {transitive} anomalous asset(s), directly of {names}{(dependents.Count > 3 ? ", …" : string.Empty)}"
                : $"upstream (in the fault direction) of {transitive} anomalous asset(s)");
        }

        if (maxWalk > 0 && context.GraphAvailable)
        {
            var share = walk[v] / maxWalk;
            reasons.Add(share >= 0.999
                ? "the random walk from the symptoms towards their dependencies settles here most"
                : string.Create(CultureInfo.InvariantCulture, $"random-walk share {share:0.00} of the top suspect's"));
        }

        if (observed[v] <= 0 && strength[v] > 0)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"no finding of its own, but {anomalousDirect[v]} of its {Math.Max(g.Dependents[v], g.Down[v].Count)} direct dependents are anomalous (a shared cause)"));
        }

        if (onset[v] != long.MaxValue)
        {
            reasons.Add(onset[v] <= earliest ? $"earliest onset ({Time(onset[v])})"
                : onset[v] <= earliest + tolerance ? $"onset {Time(onset[v])}, within {Duration(tolerance)} of the earliest"
                : $"onset {Time(onset[v])}, {Duration(onset[v] - earliest)} after the earliest");
        }

        if (findings is { Count: > 0 })
        {
            var worst = findings.OrderByDescending(f => f.Severity).ThenByDescending(f => f.Score).First();
            var kinds = findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal).ToList();
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"{findings.Count} finding(s) ({string.Join(", ", kinds.Take(4))}), worst: {worst.Severity.ToString().ToLowerInvariant()} {worst.Kind} (score {worst.Score:0.###})"));
        }

        if (g.Up[v].Count > 0 && g.Up[v].TrueForAll(u => strength[u] <= 0))
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"its {g.Up[v].Count} dependenc{(g.Up[v].Count == 1 ? "y shows" : "ies show")} no anomaly"));
        }

        if (rank == 0 && runnerUp >= 0)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"ahead of the runner-up {g.Urns[runnerUp]} by {raw[v] - raw[runnerUp]:0.00} in raw score ({raw[v]:0.00} vs {raw[runnerUp]:0.00})"));
        }

        return reasons;
    }

    /// <summary>
    /// The change first, then the inferred-dependency evidence, then per finding (worst first) a line for the
    /// finding and its own evidence by relative deviation from the expected value.
    /// </summary>
    private List<Evidence> RankEvidence(ChangeEvent? change, List<Finding>? findings, bool inferred, int anomalousDirect, int directDependents, long onset)
    {
        var evidence = new List<Evidence>();
        if (change is not null)
        {
            var gap = onset == long.MaxValue ? (double?)null : Math.Round((onset - change.TimeUnixNano) / 1e9, 1);
            evidence.Add(new Evidence("change", change.Description, gap, null,
                $"{change.Kind}{(change.Before is not null || change.After is not null ? $" {change.Before ?? "?"} → {change.After ?? "?"}" : string.Empty)} at {Time(change.TimeUnixNano)} (observed: seconds before onset)"));
        }

        if (inferred)
        {
            evidence.Add(new Evidence("dependents", "anomalous direct dependents", anomalousDirect, directDependents, "no finding of its own"));
        }

        if (findings is not null)
        {
            foreach (var f in findings.OrderByDescending(f => f.Severity).ThenByDescending(f => f.Score).ThenBy(f => f.WindowStartUnixNano))
            {
                if (evidence.Count >= options.MaxEvidencePerCause)
                {
                    break;
                }

                evidence.Add(new Evidence("finding", f.Kind, f.Score, null, $"{f.Id} at {Time(f.WindowStartUnixNano)}: {f.Summary}"));
                foreach (var e in f.Evidence.OrderByDescending(Deviation).Take(2))
                {
                    if (evidence.Count >= options.MaxEvidencePerCause)
                    {
                        break;
                    }

                    evidence.Add(e);
                }
            }
        }

        return evidence;
    }

    private static double Deviation(Evidence e) => e switch
    {
        { Observed: { } o, Expected: { } x } when x != 0 && double.IsFinite(o) && double.IsFinite(x) => Math.Abs(o - x) / Math.Abs(x),
        { Observed: not null } => 0.5,
        { Type: "trace" } => 0.25,
        _ => 0,
    };

    internal static string Time(long unixNano) =>
        DateTimeOffset.UnixEpoch.AddTicks(unixNano / 100).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Duration(long nanos)
    {
        var span = TimeSpan.FromTicks(Math.Abs(nanos) / 100);
        return span.TotalSeconds < 90 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s")
            : span.TotalMinutes < 90 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h");
    }
}
