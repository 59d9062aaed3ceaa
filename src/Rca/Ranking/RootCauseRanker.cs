using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Rca.Context;
using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Ranking;

/// <summary>
/// Ranks root causes in the MicroRank / MicroRCA family. Each finding is a symptom of one fault plane
/// (<see cref="FaultPlane"/>: requests, traffic or data, by its kind) and each edge of the context graph says in which
/// planes one asset depends on another. First the <b>main burst</b>: the <see cref="RcaOptions.BurstWindow"/> (5 min)
/// of request and traffic finding onsets (an onset is the middle of a finding's window) with the most findings
/// (weighted by strength: a fault keeps failing, blips do not; one asset's findings over one window count once) is the
/// one to explain, from the start of its heaviest run of request findings without a quiet gap (a lone blip before the
/// trouble is not its start), moved back to the earliest onset of that run less than one more window before it.
/// Request and traffic findings before it (an earlier episode that kept the incident open) count a third of their
/// strength; data findings always count in full (data faults surface late). A client whose calls to one dependency got
/// much slower after the burst's start (edge traffic counters before vs after) lends that dependency its findings
/// (<see cref="Symptoms"/>). Then four signals per asset:
/// <list type="number">
/// <item><b>Walk share</b>: a personalized PageRank over the dependency graph walked against the fault direction
/// (from a symptom towards what it depends on, in the planes of its symptoms). A walker at v moves to each
/// dependency u with weight β + e(u), stays with weight max(0, e(v) − max e(dependencies)) + 2·c(v) (v is more
/// anomalous than anything it depends on, or changed just before: the fault starts here), and steps back to a
/// dependent d with weight ρ·e(d). An asset without findings relays the walker only to anomalous dependencies
/// that began no later than its anomalous dependents (an unobserved job between two stale datasets), else it is a
/// dead end (a fault reaches the symptoms through anomalous assets, not through healthy ones), and a dependency that started more than the onset tolerance after
/// its dependent gets a third of its weight: causes precede effects. The walk restarts with probability α to the
/// personalization e(v) + c(v)/2.</item>
/// <item><b>Onset</b>: 1 at or before the start of the main burst (an earlier episode excepted), else
/// exp(−|onset − start of the main burst| / 10 min), halved when the asset's onset ties with or
/// follows that of an anomalous dependency it could have caught the fault from (the graph breaks onset ties, unless
/// the asset changed more recently than that dependency: then the change breaks it).</item>
/// <item><b>Strength</b> e(v): the worst finding (info 0.3, warning 0.6, critical 0.9, + 0.1 × its score clamped to
/// [0, 1]) plus 0.05 × log2(number of findings in or after the main burst), at most 1. An asset without findings
/// whose direct dependents are anomalous gets an inferred strength: the Ochiai coefficient of MicroRank's spectrum
/// analysis (anomalous dependents through it vs healthy ones and anomalous assets elsewhere) times
/// (1 − 1/anomalous dependents), so a single failing caller never implicates its dependency but a shared dependency
/// of several does; a dependent whose anomaly another anomalous dependency of its own explains does not count.</item>
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
    private const double Preceded = 0.5;
    private const double HiddenShare = 0.8;
    private const double WalkWeight = 0.35;
    private const double OnsetWeight = 0.20;
    private const double StrengthWeight = 0.15;
    private const double ChangeWeight = 0.30;
    private const double Temperature = 0.1;
    private const double Ceiling = 0.95;
    private const byte FaultPlanes = (1 << (int)FaultPlane.Request) | (1 << (int)FaultPlane.Data);
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

        var tolerance = RcaContextBuilder.Nanos(options.OnsetTolerance);
        var s = Symptoms.Of(context, g, RcaContextBuilder.Nanos(options.BurstWindow), tolerance);
        var observed = s.Observed;
        var onset = s.Onset;
        var burst = s.BurstStart;
        var symptoms = 0;
        for (var v = 0; v < n; v++)
        {
            symptoms += observed[v] > 0 ? 1 : 0;
        }

        // Inferred strength of shared dependencies (spectrum analysis over direct dependents).
        var strength = (double[])observed.Clone();
        var anomalousDirect = new int[n];
        for (var v = 0; v < n; v++)
        {
            if (observed[v] > 0)
            {
                continue;
            }

            var (ef, firstDependent) = Implicating(g, s, v, tolerance);
            anomalousDirect[v] = ef;
            if (ef < 2)
            {
                continue;
            }

            var ep = Math.Max(0, Math.Max(g.Dependents[v], g.Down[v].Count) - ef);
            var nf = symptoms - ReachableAnomalous(g, v, s);
            var ochiai = ef / Math.Sqrt((double)(ef + Math.Max(0, nf)) * (ef + ep));
            strength[v] = ochiai * (1 - (1.0 / ef));
            onset[v] = firstDependent; // a cause is at least as early as the first of its effects
        }

        var (change, changeOf) = ChangeScores(context, g, onset, burst);
        var preceded = new int[n];
        for (var v = 0; v < n; v++)
        {
            preceded[v] = PrecededBy(g, s, strength, change, onset, v, tolerance);
        }

        var walk = Walk(g, s, strength, change, onset, tolerance);
        var maxWalk = walk.Max();

        var candidates = new List<int>();
        var raw = new double[n];
        var onsetScore = new double[n];
        for (var v = 0; v < n; v++)
        {
            var share = maxWalk > 0 ? walk[v] / maxWalk : 0;
            // An onset at or before the burst's start is the earliest (a data fault's findings lead the requests it
            // spoils); only an earlier episode's onset decays with its distance, as does a later one.
            onsetScore[v] = onset[v] == long.MaxValue ? 0
                : (onset[v] <= burst && !s.Early[v] ? 1 : Math.Exp(-(double)Math.Abs(onset[v] - burst) / OnsetScale)) * (preceded[v] >= 0 ? Preceded : 1);
            if (strength[v] <= 0 && change[v] <= 0 && share < 0.5)
            {
                continue;
            }

            raw[v] = (WalkWeight * share) + (OnsetWeight * onsetScore[v]) + (StrengthWeight * strength[v]) + (ChangeWeight * change[v]);
            candidates.Add(v);
        }

        // A dependency without telemetry of its own (a table, a topic) behind the first anomalous asset of a chain, and
        // only that one client anomalous: what the client measures includes the time and errors of its calls to it,
        // so it is as likely as the client, a little less (most faults are in the code that changes most).
        var hiddenBehind = new int[n];
        Array.Fill(hiddenBehind, -1);
        for (var v = 0; v < n; v++)
        {
            if (observed[v] > 0 || strength[v] > 0 || ContextGraph.KindOf(g.Urns[v]) is not ("dataset" or "topic"))
            {
                continue;
            }

            var d = SoleAnomalousClient(g, s, v);
            if (d < 0 || raw[d] <= 0 || preceded[d] >= 0 || HiddenShare * raw[d] <= raw[v])
            {
                continue;
            }

            if (raw[v] <= 0)
            {
                candidates.Add(v);
            }

            raw[v] = HiddenShare * raw[d];
            hiddenBehind[v] = d;
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
            var pieces = (s.Findings[v]?.Count ?? 0) + (observed[v] > 0 ? 0 : anomalousDirect[v]) + (change[v] > 0 ? 1 : 0);
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
            var reasons = Reasons(context, g, s, v, i, runnerUp, raw, walk, maxWalk, strength, anomalousDirect, preceded[v], changeOf[v], tolerance);
            if (hiddenBehind[v] >= 0)
            {
                reasons.Insert(0, $"no telemetry of its own, and its only anomalous client {g.Urns[hiddenBehind[v]]} is the first of its chain: what that client measures includes its calls here");
            }
            else if (s.SeenByClient[v])
            {
                reasons.Insert(0, "no telemetry of its own: its client's findings name the operation on it");
            }

            if (s.SlowCalls[v] is { } slower)
            {
                reasons.Insert(0, $"its clients' calls to it got slower after the burst began, so their findings are its symptoms too: {slower}");
            }

            var downstream = ReachableAnomalous(g, v, s);
            var inferred = observed[v] <= 0 && strength[v] > 0;
            var dependents = Math.Max(g.Dependents[v], g.Down[v].Count);
            suspects.Add(new RankedSuspect(
                g.Urns[v], ContextGraph.KindOf(g.Urns[v]), confidence[v], Math.Round(raw[v], 4), maxWalk > 0 ? Math.Round(walk[v] / maxWalk, 4) : 0,
                Math.Round(onsetScore[v], 4), Math.Round(strength[v], 4), inferred, Math.Round(change[v], 4), changeOf[v],
                onset[v] == long.MaxValue ? null : onset[v], downstream, dependents,
                (IReadOnlyList<Finding>?)s.Findings[v] ?? [], reasons, RankEvidence(changeOf[v], s.Findings[v], inferred, anomalousDirect[v], dependents, onset[v])));
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

    private (double[] Score, ChangeEvent?[] Change) ChangeScores(RcaContext context, ContextGraph g, long[] onset, long burst)
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

            var reference = onset[v] == long.MaxValue ? burst : onset[v];
            if (c.TimeUnixNano > reference + tolerance || c.TimeUnixNano < Math.Min(reference, burst) - lookback)
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
            var value = weight * Math.Exp(-Math.Max(0, reference - c.TimeUnixNano) / decay);
            if (value > score[v])
            {
                score[v] = value;
                best[v] = c;
            }
        }

        return (score, best);
    }

    /// <summary>
    /// Anomalous direct dependents that implicate <paramref name="v"/> (which has no findings) in one plane, the plane
    /// with most: dependents with symptoms of that plane, in the main burst, whose anomaly no other anomalous
    /// dependency of theirs (starting no later) explains. Also the earliest of their onsets.
    /// </summary>
    private static (int Count, long FirstOnset) Implicating(ContextGraph g, Symptoms s, int v, long tolerance)
    {
        var best = 0;
        var first = long.MaxValue;
        foreach (var plane in GraphEdges.Planes)
        {
            if ((ContextGraph.Mask(plane) & FaultPlanes) == 0)
            {
                continue;
            }

            var count = 0;
            var earliest = long.MaxValue;
            var down = g.Down[v];
            for (var k = 0; k < down.Count; k++)
            {
                var d = down[k];
                if ((g.DownPlanes[v][k] & ContextGraph.Mask(plane)) == 0 || s.Strength(d, plane) <= 0 || s.Early[d] || Explained(g, s, d, v, plane, tolerance))
                {
                    continue;
                }

                count++;
                earliest = Math.Min(earliest, s.Onset[d]);
            }

            if (count > best)
            {
                best = count;
                first = earliest;
            }
        }

        return (best, first);
    }

    /// <summary>True when <paramref name="d"/> depends in <paramref name="plane"/> on an anomalous asset other than <paramref name="except"/> that started no later than it.</summary>
    private static bool Explained(ContextGraph g, Symptoms s, int d, int except, FaultPlane plane, long tolerance)
    {
        var up = g.Up[d];
        for (var j = 0; j < up.Count; j++)
        {
            var u = up[j];
            if (u != except && (g.UpPlanes[d][j] & ContextGraph.Mask(plane)) != 0 && s.Observed[u] > 0 && !s.Early[u] && s.Onset[u] <= s.Onset[d] + tolerance)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The anomalous dependency (in a plane of <paramref name="v"/>'s symptoms, in the main burst) whose onset
    /// <paramref name="v"/>'s ties with or follows, or -1: then <paramref name="v"/> is not the first of its chain.
    /// A dependency without findings passes the question on to its own dependencies (an unobserved job between two
    /// datasets), as it relays the walk.
    /// </summary>
    private static int PrecededBy(ContextGraph g, Symptoms s, double[] strength, double[] change, long[] onset, int v, long tolerance)
    {
        if (s.Planes[v] == 0 || onset[v] == long.MaxValue)
        {
            return -1;
        }

        var up = g.Up[v];
        for (var k = 0; k < up.Count; k++)
        {
            var u = up[k];
            var planes = (byte)(g.UpPlanes[v][k] & s.Planes[v]);
            if (planes == 0)
            {
                continue;
            }

            if (Precedes(s, strength, change, onset, u, v, tolerance))
            {
                return u;
            }

            if (s.Observed[u] > 0 || strength[u] > 0)
            {
                continue;
            }

            var relayed = g.Up[u];
            for (var j = 0; j < relayed.Count; j++)
            {
                var w = relayed[j];
                if (w != v && (g.UpPlanes[u][j] & planes) != 0 && s.Observed[w] > 0 && Precedes(s, strength, change, onset, w, v, tolerance))
                {
                    return w;
                }
            }
        }

        return -1;
    }

    /// <summary>
    /// True when anomalous <paramref name="u"/> began before <paramref name="v"/>, or with it (within the tolerance)
    /// and <paramref name="v"/> did not change more recently: a deploy right before both began is evidence the other way.
    /// </summary>
    private static bool Precedes(Symptoms s, double[] strength, double[] change, long[] onset, int u, int v, long tolerance) =>
        strength[u] > 0 && !s.Early[u] && onset[u] <= onset[v] + tolerance && !(onset[u] >= onset[v] - tolerance && change[v] > change[u]);

    /// <summary>Personalized PageRank by power iteration over the transition weights described on the class.</summary>
    private static double[] Walk(ContextGraph g, Symptoms s, double[] strength, double[] change, long[] onset, long tolerance)
    {
        var n = g.Count;
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
        Span<double> share = stackalloc double[GraphEdges.Planes.Count];
        for (var v = 0; v < n; v++)
        {
            weights.Clear();
            double stay;
            if (s.Observed[v] > 0)
            {
                // Up the dependencies in the planes of v's symptoms, each plane by its share of v's anomaly.
                var planeTotal = 0.0;
                foreach (var plane in GraphEdges.Planes)
                {
                    share[(int)plane] = s.Strength(v, plane);
                    planeTotal += share[(int)plane];
                }

                var maxUp = 0.0;
                var up = g.Up[v];
                for (var k = 0; k < up.Count; k++)
                {
                    var u = up[k];
                    var w = 0.0;
                    foreach (var plane in GraphEdges.Planes)
                    {
                        if ((g.UpPlanes[v][k] & ContextGraph.Mask(plane)) != 0)
                        {
                            w += share[(int)plane] / planeTotal;
                        }
                    }

                    if (w <= 0)
                    {
                        continue;
                    }

                    maxUp = Math.Max(maxUp, strength[u]);
                    w *= Beta + strength[u];
                    if (onset[u] != long.MaxValue && onset[v] != long.MaxValue && onset[u] > onset[v] + tolerance)
                    {
                        w *= LateCause;
                    }

                    weights.Add((u, w));
                }

                stay = Math.Max(0, strength[v] - maxUp) + (2 * change[v]);
            }
            else
            {
                // No findings: an inferred shared cause or a changed asset holds on to the walker. Otherwise it relays
                // only to anomalous dependencies that began no later than its anomalous dependents (an unobserved job
                // between two stale datasets, a client library between a service and its table): causes precede
                // effects, and a healthy-looking asset must not lead the walk to unrelated trouble.
                stay = strength[v] + (2 * change[v]);
                var firstEffect = long.MaxValue;
                foreach (var d in g.Down[v])
                {
                    if (s.Observed[d] > 0 && !s.Early[d])
                    {
                        firstEffect = Math.Min(firstEffect, onset[d]);
                    }
                }

                var up = g.Up[v];
                for (var k = 0; k < up.Count && firstEffect != long.MaxValue; k++)
                {
                    var u = up[k];
                    if (s.Observed[u] > 0 && onset[u] <= firstEffect + tolerance)
                    {
                        weights.Add((u, Beta + strength[u]));
                    }
                }
            }

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

    /// <summary>The one anomalous direct dependent of <paramref name="v"/> in the request plane (in the main burst), or -1 (none, or several).</summary>
    private static int SoleAnomalousClient(ContextGraph g, Symptoms s, int v)
    {
        var client = -1;
        var down = g.Down[v];
        for (var k = 0; k < down.Count; k++)
        {
            var d = down[k];
            if ((g.DownPlanes[v][k] & ContextGraph.Mask(FaultPlane.Request)) == 0 || s.Strength(d, FaultPlane.Request) <= 0 || s.Early[d])
            {
                continue;
            }

            if (client >= 0 && client != d)
            {
                return -1;
            }

            client = d;
        }

        return client;
    }

    /// <summary>
    /// Anomalous assets that depend on <paramref name="v"/> directly or through others in the context graph, in a
    /// plane of their symptoms, through anomalous assets only.
    /// </summary>
    private static int ReachableAnomalous(ContextGraph g, int v, Symptoms s)
    {
        var seen = new bool[g.Count];
        seen[v] = true;
        var stack = new Stack<int>();
        stack.Push(v);
        var count = 0;
        while (stack.TryPop(out var x))
        {
            var down = g.Down[x];
            for (var k = 0; k < down.Count; k++)
            {
                var d = down[k];
                if (!seen[d] && s.Observed[d] > 0 && (g.DownPlanes[x][k] & s.Planes[d]) != 0)
                {
                    seen[d] = true;
                    count++;
                    stack.Push(d);
                }
            }
        }

        return count;
    }

    private static List<string> Reasons(
        RcaContext context, ContextGraph g, Symptoms s, int v, int rank, int runnerUp, double[] raw, double[] walk, double maxWalk,
        double[] strength, int[] anomalousDirect, int precededBy, ChangeEvent? change, long tolerance)
    {
        var reasons = new List<string>();
        var onset = s.Onset;
        var burst = s.BurstStart;
        if (change is not null)
        {
            var reference = onset[v] == long.MaxValue ? burst : onset[v];
            var gap = reference - change.TimeUnixNano;
            reasons.Add(gap >= 0
                ? $"{change.Kind} change {Duration(gap)} before its anomalies began: {change.Description}"
                : $"{change.Kind} change at the onset of its anomalies: {change.Description}");
        }

        var dependents = new List<string>();
        var down = g.Down[v];
        for (var k = 0; k < down.Count; k++)
        {
            if (s.Observed[down[k]] > 0 && (g.DownPlanes[v][k] & s.Planes[down[k]]) != 0)
            {
                dependents.Add(g.Urns[down[k]]);
            }
        }

        var transitive = ReachableAnomalous(g, v, s);
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

        if (s.Observed[v] <= 0 && strength[v] > 0)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"no finding of its own, but {anomalousDirect[v]} of its {Math.Max(g.Dependents[v], g.Down[v].Count)} direct dependents are anomalous (a shared cause)"));
        }

        if (onset[v] != long.MaxValue)
        {
            reasons.Add(s.Early[v] ? $"anomalous only in an earlier episode (last onset {Time(onset[v])}, {Duration(burst - onset[v])} before the main burst of anomalies began): weighed a third"
                : onset[v] <= burst ? $"earliest onset ({Time(onset[v])})"
                : onset[v] <= burst + tolerance ? $"onset {Time(onset[v])}, within {Duration(tolerance)} of the earliest"
                : $"onset {Time(onset[v])}, {Duration(onset[v] - burst)} after the earliest");
        }

        if (precededBy >= 0)
        {
            reasons.Add($"its onset ties with or follows that of {g.Urns[precededBy]}, which it depends on");
        }

        if (s.Findings[v] is { Count: > 0 } findings)
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
            foreach (var f in findings.Order(Finding.StrongestFirst))
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
