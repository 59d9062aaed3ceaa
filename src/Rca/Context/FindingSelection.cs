using Autopilot.Engines.Findings;

namespace Autopilot.Rca.Context;

/// <summary>
/// What an analysis needs of an incident's (or a window's) findings, kept while they are read from the store one at a
/// time, so a long incident (a chronic failure gains a finding a minute for weeks) or a busy window costs bounded
/// memory: the strongest <c>maxFindings</c> symptoms (what the ranking takes, in <see cref="Finding.StrongestFirst"/>
/// order) and the earliest and latest <c>maxTimeline</c> findings (what the timeline keeps of its two ends), with every
/// finding counted, its window start taken into the onset and its severity into the worst. A context built from <see cref="Kept"/> ranks and keeps the same findings as one
/// built from all of them.
/// </summary>
internal sealed class FindingSelection
{
    // Strongest first, and among equals in the order a window query lists them (time, then id), as the context's stable
    // sort of that list picks them.
    private static readonly IComparer<Finding> WeakestFirst = Comparer<Finding>.Create(static (x, y) =>
    {
        var order = Finding.StrongestFirst.Compare(y, x);
        return order != 0 ? order : Listed(y, x);
    });
    private static readonly IComparer<Finding> EarliestFirst = Comparer<Finding>.Create(static (x, y) => Timeline(x, y));
    private static readonly IComparer<Finding> LatestFirst = Comparer<Finding>.Create(static (x, y) => Timeline(y, x));

    private readonly int _maxFindings;
    private readonly int _maxTimeline;

    // Each heap's top is the one to give up first: the weakest kept symptom, the latest of the earliest, the earliest of the latest.
    private readonly PriorityQueue<Finding, Finding> _strongest = new(WeakestFirst);
    private readonly PriorityQueue<Finding, Finding> _earliest = new(LatestFirst);
    private readonly PriorityQueue<Finding, Finding> _latest = new(EarliestFirst);

    public FindingSelection(int maxFindings, int maxTimeline)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFindings);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTimeline);
        _maxFindings = maxFindings;
        _maxTimeline = maxTimeline;
    }

    /// <summary>Findings read.</summary>
    public int Count { get; private set; }

    /// <summary>Findings read that are symptoms (not recoveries).</summary>
    public int Symptoms { get; private set; }

    /// <summary>The earliest window start of the findings read, or null before the first.</summary>
    public long? Onset { get; private set; }

    /// <summary>The worst severity of the findings read (<see cref="FindingSeverity.Info"/> before the first).</summary>
    public FindingSeverity Severity { get; private set; } = FindingSeverity.Info;

    public void Add(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        Count++;
        Onset = Onset is { } onset ? Math.Min(onset, finding.WindowStartUnixNano) : finding.WindowStartUnixNano;
        Severity = finding.Severity > Severity ? finding.Severity : Severity;
        if (finding.Kind != Autopilot.Engines.Freshness.FreshnessEngine.RecoveredKind)
        {
            Symptoms++;
            Offer(_strongest, finding, _maxFindings, WeakestFirst);
        }

        Offer(_earliest, finding, _maxTimeline, LatestFirst);
        Offer(_latest, finding, _maxTimeline, EarliestFirst);
    }

    /// <summary>The findings kept, each once, in time order (then by id), as a window query returns them.</summary>
    public List<Finding> Kept()
    {
        var kept = new HashSet<Finding>(ReferenceEqualityComparer.Instance);
        foreach (var heap in new[] { _strongest, _earliest, _latest })
        {
            foreach (var (finding, _) in heap.UnorderedItems)
            {
                kept.Add(finding);
            }
        }

        List<Finding> list = [.. kept];
        list.Sort(Listed);
        return list;
    }

    /// <summary>Keeps <paramref name="finding"/> if the heap has room or it comes before the heap's top (the first to give up).</summary>
    private static void Offer(PriorityQueue<Finding, Finding> heap, Finding finding, int capacity, IComparer<Finding> giveUpFirst)
    {
        if (heap.Count < capacity)
        {
            heap.Enqueue(finding, finding);
        }
        else if (giveUpFirst.Compare(heap.Peek(), finding) < 0)
        {
            heap.EnqueueDequeue(finding, finding);
        }
    }

    private static int Listed(Finding x, Finding y) =>
        x.TimeUnixNano != y.TimeUnixNano ? x.TimeUnixNano.CompareTo(y.TimeUnixNano) : string.CompareOrdinal(x.Id, y.Id);

    /// <summary>The timeline's order of findings (time, then asset, then kind), as the context's timeline sorts its entries.</summary>
    private static int Timeline(Finding x, Finding y)
    {
        var order = x.TimeUnixNano.CompareTo(y.TimeUnixNano);
        order = order != 0 ? order : string.CompareOrdinal(x.Urn, y.Urn);
        return order != 0 ? order : string.CompareOrdinal(x.Kind, y.Kind);
    }
}
