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

    private Symptoms(int n)
    {
        Findings = new List<Finding>?[n];
        Observed = new double[n];
        PlaneStrength = new double[n * PlaneCount];
        Planes = new byte[n];
        Onset = new long[n];
        Early = new bool[n];
        SeenByClient = new bool[n];
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

    public static Symptoms Of(RcaContext context, ContextGraph g, long burstWindow)
    {
        var n = g.Count;
        var s = new Symptoms(n);
        var items = new List<(long Onset, int Node, double Strength, FaultPlane Plane, long HalfWidth)>(context.Findings.Count);
        foreach (var f in context.Findings)
        {
            if (g.TryGet(f.Urn, out var v))
            {
                (s.Findings[v] ??= []).Add(f);
                var plane = SymptomPlanes.Of(f.Kind);
                items.Add((OnsetOf(f), v, RootCauseRanker.FindingStrength(f), plane, OnsetOf(f) - f.WindowStartUnixNano));
                if (plane == FaultPlane.Request && MeasuredDependency(g, v, f) is var d and >= 0)
                {
                    // The client measured one of its calls to d going wrong: as much a symptom of d as of the client.
                    (s.Findings[d] ??= []).Add(f);
                    items.Add((OnsetOf(f), d, RootCauseRanker.FindingStrength(f), plane, OnsetOf(f) - f.WindowStartUnixNano));
                    s.SeenByClient[d] = true;
                }
            }
        }

        items.Sort(static (a, b) => a.Onset != b.Onset ? a.Onset.CompareTo(b.Onset) : a.Node.CompareTo(b.Node));
        s.BurstStart = MainBurst(items, burstWindow) ?? (items.Count > 0 ? items[0].Onset : context.FromUnixNano);

        var inBurst = new int[n];
        var latestEarlier = new long[n];
        Array.Fill(latestEarlier, long.MinValue);
        foreach (var (onset, v, strength, plane, _) in items)
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
    /// The dependency of <paramref name="v"/> (in the request plane) that <paramref name="finding"/> is about, or -1:
    /// a finding whose evidence names an operation <c>{operation=&lt;verb&gt; &lt;target&gt;}</c> (client span names
    /// follow "<c>{db.operation.name} {db.collection.name}</c>" for databases and "<c>{operation} {destination}</c>"
    /// for messaging) whose target is the name of a dependency without telemetry of its own (a dataset or topic).
    /// </summary>
    private static int MeasuredDependency(ContextGraph g, int v, Finding finding)
    {
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
            var up = g.Up[v];
            for (var k = 0; k < up.Count; k++)
            {
                var urn = g.Urns[up[k]];
                if ((g.UpPlanes[v][k] & ContextGraph.Mask(FaultPlane.Request)) != 0
                    && ContextGraph.KindOf(urn) is "dataset" or "topic"
                    && NameOf(urn).Equals(target, StringComparison.Ordinal))
                {
                    return up[k];
                }
            }

            return -1;
        }

        return -1;
    }

    /// <summary>The last segment of an URN after ':', '/' or '.' (the table of <c>…:postgresql/shop:orders</c>).</summary>
    private static ReadOnlySpan<char> NameOf(string urn)
    {
        var span = urn.AsSpan();
        return span[(span.LastIndexOfAny(':', '/', '.') + 1)..];
    }

    /// <summary>
    /// The start of the main burst: the <paramref name="window"/>-long span from a request or traffic finding's onset
    /// that most findings overlap (each by its onset interval, weighted by its strength) (so a fault that keeps failing, minute after minute,
    /// outweighs a one-off cluster of blips; the earlier span on a tie),
    /// moved back to the earliest onset less than one more window before it, so the burst's first findings (often the
    /// cause) are its start. Null when there are no such findings. Data findings take no part: data faults surface
    /// only when the next run is due or a freshness threshold passes, so their findings trail the cause by more than
    /// any window and are never an earlier episode.
    /// </summary>
    private static long? MainBurst(List<(long Onset, int Node, double Strength, FaultPlane Plane, long HalfWidth)> items, long window)
    {
        // Scored by findings, not assets: persistence within the span is the difference between a fault and noise.
        var fast = new List<(long Onset, double Strength, long HalfWidth)>(items.Count);
        foreach (var (onset, _, strength, plane, halfWidth) in items)
        {
            if (plane != FaultPlane.Data)
            {
                fast.Add((onset, strength, halfWidth));
            }
        }

        if (fast.Count == 0)
        {
            return null;
        }

        // A finding counts for a span its onset interval (its window, up to the onset cap) overlaps: a finding over a
        // 15-minute window began somewhere in it, so it belongs to a burst at that window's start as much as to one
        // at its middle. Quadratic in the findings, which the context bounds (500).
        var best = 0;
        var bestScore = double.MinValue;
        for (var i = 0; i < fast.Count; i++)
        {
            if (i > 0 && fast[i].Onset == fast[i - 1].Onset)
            {
                continue;
            }

            var from = fast[i].Onset;
            var score = 0.0;
            foreach (var (onset, strength, halfWidth) in fast)
            {
                if (onset - halfWidth <= from + window && onset + halfWidth >= from)
                {
                    score += strength;
                }
            }

            if (score > bestScore + 1e-9)
            {
                bestScore = score;
                best = i;
            }
        }

        var start = best;
        while (start > 0 && fast[best].Onset - fast[start - 1].Onset < window)
        {
            start--;
        }

        return fast[start].Onset;
    }
}
