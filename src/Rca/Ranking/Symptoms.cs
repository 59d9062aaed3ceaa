using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Rca.Context;
using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Ranking;

/// <summary>
/// What the findings say about each node of a context graph, per fault plane, relative to the incident's main
/// burst of anomalies (see <see cref="RootCauseRanker"/>). Arrays are indexed by node.
/// </summary>
internal sealed class Symptoms
{
    /// <summary>A finding before the main burst counts this much of its strength.</summary>
    public const double EarlierEpisode = 1.0 / 3;

    private const int PlaneCount = 3;
    private static readonly long MaxOnsetWindow = TimeSpan.FromMinutes(15).Ticks * 100;
    private const double ReportedSymptom = 0.3;

    /// <summary>A quiet gap longer than this many onset tolerances ends a run of findings (see <see cref="MainBurst"/>).</summary>
    private const int QuietGaps = 2;

    /// <summary>Calls are slower when their mean latency is at least this many times what it was before the burst…</summary>
    private const double SlowerBy = 2;

    /// <summary>…and at least this much more (ms): a millisecond of jitter doubles a sub-millisecond call.</summary>
    private const double SlowerByMs = 10;

    /// <summary>Calls needed in each window for a mean to say anything.</summary>
    private const long MinCalls = 20;

    private static readonly long Baseline = TimeSpan.FromMinutes(30).Ticks * 100;

    private Symptoms(int n)
    {
        Findings = new List<Finding>?[n];
        Observed = new double[n];
        PlaneStrength = new double[n * PlaneCount];
        Planes = new byte[n];
        Onset = new long[n];
        Early = new bool[n];
        SeenByClient = new bool[n];
        SlowCalls = new string?[n];
        Array.Fill(Onset, long.MaxValue);
    }

    /// <summary>The node's findings (null: none).</summary>
    public List<Finding>?[] Findings { get; }

    /// <summary>e(v): the node's strength from its own findings (0: none).</summary>
    public double[] Observed { get; }

    /// <summary>The strength of the node's symptoms in each plane: [node × 3 + plane].</summary>
    public double[] PlaneStrength { get; }

    /// <summary>The planes (bit mask, <see cref="ContextGraph.Mask"/>) the node has symptoms in.</summary>
    public byte[] Planes { get; }

    /// <summary>
    /// The node's onset: its earliest finding onset in or after the main burst, else (only earlier findings) its
    /// latest one; <see cref="long.MaxValue"/> without findings.
    /// </summary>
    public long[] Onset { get; }

    /// <summary>
    /// True when the node's findings are its clients' about their calls to it (a client span's operation naming it,
    /// e.g. <c>SELECT products</c> by the OpenTelemetry database span name convention): assets such as tables emit
    /// no telemetry of their own.
    /// </summary>
    public bool[] SeenByClient { get; }

    /// <summary>
    /// Why the node counts its clients' findings as its own because their calls to it got slower (null: it does not),
    /// e.g. "urn:autopilot:service:prod:checkout's calls to it: 14 ms → 820 ms on average".
    /// </summary>
    public string?[] SlowCalls { get; }

    /// <summary>True when all of the node's findings lie before the main burst (an earlier episode).</summary>
    public bool[] Early { get; }

    /// <summary>Onset of the first finding of the main burst (the context's start when there are no findings).</summary>
    public long BurstStart { get; private set; }

    /// <summary>Findings before the main burst.</summary>
    public int EarlierFindings { get; private set; }

    public double Strength(int node, FaultPlane plane) => PlaneStrength[(node * PlaneCount) + (int)plane];

    /// <summary>
    /// A finding's onset: the middle of its window (an anomaly found over a window began somewhere in it), at most
    /// 7.5 min after the window's start: some windows only grow (the time since a dataset's last update keeps growing
    /// while it is stale, and the finding is reported again when it gets worse), and the onset must not move with them.
    /// </summary>
    public static long OnsetOf(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var start = finding.WindowStartUnixNano;
        var end = finding.WindowEndUnixNano;
        return end > start ? start + (Math.Min(end - start, MaxOnsetWindow) / 2) : start;
    }

    public static Symptoms Of(RcaContext context, ContextGraph g, long burstWindow, long tolerance)
    {
        var n = g.Count;
        var s = new Symptoms(n);
        var items = new List<(long Onset, int Node, double Strength, FaultPlane Plane, long HalfWidth, bool Copy)>(context.Findings.Count);
        foreach (var f in context.Findings)
        {
            if (g.TryGet(f.Urn, out var v))
            {
                (s.Findings[v] ??= []).Add(f);
                var plane = SymptomPlanes.Of(f.Kind);
                items.Add((OnsetOf(f), v, RootCauseRanker.FindingStrength(f), plane, OnsetOf(f) - f.WindowStartUnixNano, false));
                if (plane == FaultPlane.Request && MeasuredDependency(g, v, f) is var d and >= 0)
                {
                    // The client measured one of its calls to d going wrong: as much a symptom of d as of the client.
                    (s.Findings[d] ??= []).Add(f);
                    items.Add((OnsetOf(f), d, RootCauseRanker.FindingStrength(f), plane, OnsetOf(f) - f.WindowStartUnixNano, true));
                    s.SeenByClient[d] = true;
                }
            }
        }

        items.Sort(static (a, b) => a.Onset != b.Onset ? a.Onset.CompareTo(b.Onset) : a.Node.CompareTo(b.Node));
        s.BurstStart = MainBurst(items, burstWindow, QuietGaps * tolerance) ?? (items.Count > 0 ? items[0].Onset : context.FromUnixNano);
        SlowedCalls(context, g, s, items, tolerance);

        var inBurst = new int[n];
        var latestEarlier = new long[n];
        Array.Fill(latestEarlier, long.MinValue);
        foreach (var (onset, v, strength, plane, _, _) in items)
        {
            var weight = 1.0;
            if (onset >= s.BurstStart || plane == FaultPlane.Data)
            {
                s.Onset[v] = Math.Min(s.Onset[v], onset);
                inBurst[v]++;
            }
            else
            {
                latestEarlier[v] = Math.Max(latestEarlier[v], onset);
                weight = EarlierEpisode;
                s.EarlierFindings++;
            }

            var e = strength * weight;
            s.Observed[v] = Math.Max(s.Observed[v], e);
            ref var p = ref s.PlaneStrength[(v * PlaneCount) + (int)plane];
            p = Math.Max(p, e);
            s.Planes[v] |= ContextGraph.Mask(plane);
        }

        for (var v = 0; v < n; v++)
        {
            if (s.Onset[v] == long.MaxValue && latestEarlier[v] != long.MinValue)
            {
                s.Onset[v] = latestEarlier[v];
                s.Early[v] = true;
            }

            if (inBurst[v] > 1)
            {
                s.Observed[v] = Math.Min(1, s.Observed[v] + (0.05 * Math.Log2(inBurst[v])));
            }
        }

        if (context.SymptomUrn is { } reported && g.TryGet(reported, out var r) && s.Observed[r] < ReportedSymptom)
        {
            // The symptom asked about is anomalous by definition, in whatever plane it was reported.
            s.Observed[r] = ReportedSymptom;
            foreach (var plane in GraphEdges.Planes)
            {
                ref var p = ref s.PlaneStrength[(r * PlaneCount) + (int)plane];
                p = Math.Max(p, ReportedSymptom);
            }

            s.Planes[r] = ContextGraph.AllPlanes;
        }

        return s;
    }

    /// <summary>
    /// Edge latency before and after the onset: a client with request findings in the main burst whose calls to one
    /// dependency (a service, a table, a topic) became much slower on average (<see cref="SlowerBy"/> times and
    /// <see cref="SlowerByMs"/> more, from the edge's traffic counters over the <see cref="Baseline"/> before the
    /// burst vs from its start to the end of the context) measured that dependency's slowness: its findings from the
    /// burst on count as the dependency's symptoms too, as a statement-level finding does for a table. What a service
    /// spends in its calls is told apart from what it spends itself, so a slow table is no longer indistinguishable
    /// from its slow client, nor a slow callee whose own alarms are silent from its caller. When every dependency
    /// the client measures slowed together (two or more), the client itself is slow at calling (CPU, its own queue),
    /// and nothing is passed on.
    /// </summary>
    private static void SlowedCalls(RcaContext context, ContextGraph g, Symptoms s, List<(long Onset, int Node, double Strength, FaultPlane Plane, long HalfWidth, bool Copy)> items, long tolerance)
    {
        var burst = s.BurstStart;
        var end = context.ToUnixNano;
        if (end - burst < tolerance)
        {
            return; // too little traffic since the burst began to compare
        }

        var slowed = new List<(int Dependency, double Before, double After)>();
        for (var v = 0; v < g.Count; v++)
        {
            if (s.Findings[v] is null)
            {
                continue;
            }

            slowed.Clear();
            var measured = 0;
            var up = g.Up[v];
            for (var k = 0; k < up.Count; k++)
            {
                var u = up[k];
                if ((g.UpPlanes[v][k] & ContextGraph.Mask(FaultPlane.Request)) == 0 || !g.HasCalls(u, v)
                    || g.Calls(u, v, burst - Baseline, burst - tolerance) is not { } before || before.Requests < MinCalls
                    || g.Calls(u, v, burst, end) is not { } after || after.Requests < MinCalls)
                {
                    continue;
                }

                measured++;
                if (after.MeanMs >= SlowerBy * before.MeanMs && after.MeanMs - before.MeanMs >= SlowerByMs)
                {
                    slowed.Add((u, before.MeanMs, after.MeanMs));
                }
            }

            if (slowed.Count == 0 || (measured >= 2 && slowed.Count == measured))
            {
                continue;
            }

            foreach (var f in s.Findings[v]!.ToArray())
            {
                var plane = SymptomPlanes.Of(f.Kind);
                var onset = OnsetOf(f);
                if (plane != FaultPlane.Request || onset < burst || !string.Equals(f.Urn, g.Urns[v], StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var (u, _, _) in slowed)
                {
                    var list = s.Findings[u] ??= [];
                    if (list.Contains(f))
                    {
                        continue; // already its symptom (a statement naming it)
                    }

                    list.Add(f);
                    items.Add((onset, u, RootCauseRanker.FindingStrength(f), plane, onset - f.WindowStartUnixNano, true));
                }
            }

            foreach (var (u, before, after) in slowed)
            {
                var line = string.Create(CultureInfo.InvariantCulture, $"{g.Urns[v]}'s calls to it: {before:0} ms → {after:0} ms on average");
                s.SlowCalls[u] = s.SlowCalls[u] is null ? line : s.SlowCalls[u] + "; " + line;
            }
        }
    }

    /// <summary>
    /// The dependency of <paramref name="v"/> (in the request plane) that <paramref name="finding"/> is about, or -1:
    /// a finding whose evidence names an operation <c>{operation=&lt;verb&gt; &lt;target&gt;}</c> (client span names
    /// follow "<c>{db.operation.name} {db.collection.name}</c>" for databases and "<c>{operation} {destination}</c>"
    /// for messaging) whose target is the name of a dependency without telemetry of its own (a dataset or topic).
    /// </summary>
    private static int MeasuredDependency(ContextGraph g, int v, Finding finding)
    {
        // Most assets call no dataset or topic: then there is nothing to look for in the evidence.
        var up = g.Up[v];
        var any = false;
        for (var k = 0; k < up.Count && !any; k++)
        {
            any = CallsStore(g, v, k);
        }

        if (!any)
        {
            return -1;
        }

        foreach (var e in finding.Evidence)
        {
            var reference = e.Reference.AsSpan();
            var at = reference.IndexOf("operation=", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var operation = reference[(at + "operation=".Length)..];
            var end = operation.IndexOfAny('}', ',');
            operation = end >= 0 ? operation[..end] : operation;
            var space = operation.IndexOf(' ');
            if (space <= 0 || space == operation.Length - 1)
            {
                return -1;
            }

            var target = operation[(space + 1)..].Trim();
            for (var k = 0; k < up.Count; k++)
            {
                var urn = g.Urns[up[k]];
                if (CallsStore(g, v, k) && NameOf(urn).Equals(target, StringComparison.Ordinal))
                {
                    return up[k];
                }
            }

            return -1;
        }

        return -1;
    }

    /// <summary>Whether asset <paramref name="v"/>'s k-th dependency is a dataset or topic it calls (a request-plane edge).</summary>
    private static bool CallsStore(ContextGraph g, int v, int k) =>
        (g.UpPlanes[v][k] & ContextGraph.Mask(FaultPlane.Request)) != 0 && ContextGraph.KindOf(g.Urns[g.Up[v][k]]) is "dataset" or "topic";

    /// <summary>The last segment of an URN after ':', '/' or '.' (the table of <c>…:postgresql/shop:orders</c>).</summary>
    private static ReadOnlySpan<char> NameOf(string urn)
    {
        var span = urn.AsSpan();
        return span[(span.LastIndexOfAny(':', '/', '.') + 1)..];
    }

    /// <summary>
    /// The start of the main burst: the <paramref name="window"/>-long span from a request or traffic finding's onset
    /// that most findings overlap (each by its onset interval, weighted by its strength) (so a fault that keeps failing, minute after minute,
    /// outweighs a one-off cluster of blips; the earlier span on a tie). Findings of one asset over one window count
    /// once, at the strongest: a service's overall p99 and that of one of its operations measure the same spans, so a
    /// blip that lights up every series of a few assets is no more persistent than one finding per asset; and a client's
    /// finding that also counts as its table's symptom is still one finding.
    /// Then the run of request findings that holds most of that span's weight, where a run is a chain of onset intervals
    /// with no quiet gap longer than <paramref name="gap"/> between them: a lone finding minutes before the trouble (a
    /// blip) is not where it began, even when it falls within the span (traffic findings, which trail their cause by
    /// windows, are never cut off). The burst starts at the earliest onset of that run
    /// less than one more window before the span, so the burst's first findings (often the cause) are its start.
    /// Null when there are no such findings. Data findings take no part: data faults surface
    /// only when the next run is due or a freshness threshold passes, so their findings trail the cause by more than
    /// any window and are never an earlier episode.
    /// </summary>
    private static long? MainBurst(List<(long Onset, int Node, double Strength, FaultPlane Plane, long HalfWidth, bool Copy)> items, long window, long gap)
    {
        // Scored by findings, not assets: persistence within the span is the difference between a fault and noise.
        // One entry per asset and window (items are sorted by onset, then node), at the strongest finding's strength.
        var fast = new List<(long Onset, double Strength, long HalfWidth, FaultPlane Plane)>(items.Count);
        var lastNode = -1;
        foreach (var (onset, node, strength, plane, halfWidth, copy) in items)
        {
            if (plane == FaultPlane.Data || copy)
            {
                continue;
            }

            if (node == lastNode && fast.Count > 0 && fast[^1].Onset == onset && fast[^1].HalfWidth == halfWidth)
            {
                fast[^1] = (onset, Math.Max(strength, fast[^1].Strength), halfWidth, fast[^1].Plane);
                continue;
            }

            fast.Add((onset, strength, halfWidth, plane));
            lastNode = node;
        }

        if (fast.Count == 0)
        {
            return null;
        }

        // A finding counts for a span its onset interval (its window, up to the onset cap) overlaps: a finding over a
        // 15-minute window began somewhere in it, so it belongs to a burst at that window's start as much as to one
        // at its middle. The spans start at the findings' onsets, ascending, so each one's weight is what has begun by
        // the span's end less what ended before its start, two running sums: O(n log n) rather than a pass per span
        // (the correlator ranks an incident's roots every time the incident changes).
        var (best, _) = HeaviestSpan(fast, window);

        // Runs of request findings by the start of their onset interval, a new run after a quiet gap longer than the
        // limit. Traffic findings belong to no run and are never cut off: a drop in volume shows windows after its cause.
        var order = new List<int>(fast.Count);
        var runOf = new int[fast.Count];
        for (var i = 0; i < fast.Count; i++)
        {
            runOf[i] = -1;
            if (fast[i].Plane == FaultPlane.Request)
            {
                order.Add(i);
            }
        }

        order.Sort((a, b) => (fast[a].Onset - fast[a].HalfWidth).CompareTo(fast[b].Onset - fast[b].HalfWidth));
        var runs = 0;
        var reach = long.MinValue;
        foreach (var i in order)
        {
            var lo = fast[i].Onset - fast[i].HalfWidth;
            if (reach != long.MinValue && lo > reach + gap)
            {
                runs++;
            }

            runOf[i] = runs;
            reach = Math.Max(reach, fast[i].Onset + fast[i].HalfWidth);
        }

        var from = fast[best].Onset;
        var heaviest = -1;
        if (order.Count > 0)
        {
            // Every run's weight in the span from one pass (each run's sum in the findings' order, as before).
            var weights = new double[runs + 1];
            for (var j = 0; j < fast.Count; j++)
            {
                var (onset, strength, halfWidth, _) = fast[j];
                if (runOf[j] >= 0 && onset - halfWidth <= from + window && onset + halfWidth >= from)
                {
                    weights[runOf[j]] += strength;
                }
            }

            var heaviestWeight = double.MinValue;
            for (var r = 0; r <= runs; r++)
            {
                if (weights[r] > heaviestWeight + 1e-9)
                {
                    heaviestWeight = weights[r];
                    heaviest = r;
                }
            }
        }

        var start = long.MaxValue;
        for (var i = 0; i < fast.Count; i++)
        {
            if ((runOf[i] == heaviest || runOf[i] < 0) && fast[i].Onset > from - window && fast[i].Onset < start)
            {
                start = fast[i].Onset;
            }
        }

        return start == long.MaxValue ? from : start;
    }

    /// <summary>
    /// The first finding (in onset order) whose onset starts the heaviest span: the summed strength of the findings whose
    /// onset intervals [onset − half width, onset + half width] overlap [start, start + window]; a later start must be
    /// heavier by more than 1e-9 to win. Its weight with it.
    /// </summary>
    internal static (int Index, double Weight) HeaviestSpan(List<(long Onset, double Strength, long HalfWidth, FaultPlane Plane)> fast, long window)
    {
        var n = fast.Count;
        var byStart = new int[n];
        var byEnd = new int[n];
        for (var j = 0; j < n; j++)
        {
            byStart[j] = j;
            byEnd[j] = j;
        }

        Array.Sort(byStart, (a, b) => (fast[a].Onset - fast[a].HalfWidth).CompareTo(fast[b].Onset - fast[b].HalfWidth));
        Array.Sort(byEnd, (a, b) => (fast[a].Onset + fast[a].HalfWidth).CompareTo(fast[b].Onset + fast[b].HalfWidth));
        var best = 0;
        var bestScore = double.MinValue;
        double begun = 0, ended = 0;
        int nextStart = 0, nextEnd = 0;
        for (var i = 0; i < n; i++)
        {
            if (i > 0 && fast[i].Onset == fast[i - 1].Onset)
            {
                continue;
            }

            var from = fast[i].Onset;
            while (nextStart < n && fast[byStart[nextStart]].Onset - fast[byStart[nextStart]].HalfWidth <= from + window)
            {
                begun += fast[byStart[nextStart++]].Strength;
            }

            while (nextEnd < n && fast[byEnd[nextEnd]].Onset + fast[byEnd[nextEnd]].HalfWidth < from)
            {
                ended += fast[byEnd[nextEnd++]].Strength;
            }

            var score = begun - ended;
            if (score > bestScore + 1e-9)
            {
                bestScore = score;
                best = i;
            }
        }

        return (best, bestScore);
    }
}
