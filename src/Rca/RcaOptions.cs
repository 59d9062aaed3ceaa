namespace Autopilot.Rca;

/// <summary>
/// Bounds and windows of root-cause analysis. Every default lives here; <see cref="Validate"/> names the
/// first bad setting. The bounds keep one explanation cheap whatever the size of the incident or the graph.
/// </summary>
public sealed class RcaOptions
{
    /// <summary>Most findings read for one analysis (the strongest are kept). Default 500.</summary>
    public int MaxFindings { get; set; } = 500;

    /// <summary>Most assets with findings that seed the graph expansion (the most anomalous first). Default 50.</summary>
    public int MaxSymptomUrns { get; set; } = 50;

    /// <summary>Hops followed from the symptoms towards their dependencies (the fault direction, backwards). Default 3.</summary>
    public int UpstreamDepth { get; set; } = 3;

    /// <summary>Hops followed from a root cause towards its dependents for the blast radius. Default 4.</summary>
    public int DownstreamDepth { get; set; } = 4;

    /// <summary>
    /// Most graph nodes one analysis looks at; the expansion (nearest dependencies first) stops there, noted in the
    /// answer. Default 1,000: causes sit within a few hops, and the expansion is most of an analysis' cost.
    /// </summary>
    public int MaxGraphNodes { get; set; } = 1_000;

    /// <summary>How long before the first anomaly a change (deploy, schema) still counts as a suspect. Default 1 h.</summary>
    public TimeSpan ChangeLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How fast a change's weight fades with its distance before the onset (e-folding time). Default 15 min.</summary>
    public TimeSpan ChangeDecay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How much later than its dependent a cause may start and still count as "before": windows are a minute
    /// wide, so two findings of one fault land a window apart. Default 1 min.
    /// </summary>
    public TimeSpan OnsetTolerance { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Span of the main burst of anomalies: the ranking weighs the span of request and traffic finding onsets this long
    /// whose assets are most anomalous, and findings more than this before it count as an earlier episode (a third),
    /// so an incident that earlier, unrelated blips kept open is not blamed on them. Default 5 min.
    /// </summary>
    public TimeSpan BurstWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Findings on an incident's dependencies that are not in the incident (another incident, or none) count when
    /// they fall within this much time before its first finding or during it. Default 15 min.
    /// </summary>
    public TimeSpan FindingMargin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>For a time window with a symptom URN: how many hops around it findings are taken from. Default 3.</summary>
    public int SymptomRadius { get; set; } = 3;

    /// <summary>Most root causes in an answer. Default 5.</summary>
    public int MaxRootCauses { get; set; } = 5;

    /// <summary>Most pieces of evidence per root cause. Default 6.</summary>
    public int MaxEvidencePerCause { get; set; } = 6;

    /// <summary>Most timeline entries in an answer (the earliest and the latest are kept). Default 200.</summary>
    public int MaxTimeline { get; set; } = 200;

    /// <summary>Most assets listed in the blast radius. Default 200.</summary>
    public int MaxBlastRadius { get; set; } = 200;

    /// <summary>Incident contexts cached (least recently used evicted). 0 turns the cache off. Default 256.</summary>
    public int CacheCapacity { get; set; } = 256;

    /// <summary>
    /// How long a cached incident context is reused while the incident does not change: the graph and its
    /// changes keep arriving after the findings. Default 1 min.
    /// </summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest window <c>POST /api/rca/analyze</c> accepts. Default 7 days.</summary>
    public TimeSpan MaxWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The LLM explainer; off (rules only) unless a provider is configured.</summary>
    public LlmOptions Llm { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Positive(MaxFindings, "rca.maxFindings");
        Positive(MaxSymptomUrns, "rca.maxSymptomUrns");
        Positive(MaxGraphNodes, "rca.maxGraphNodes");
        Positive(MaxRootCauses, "rca.maxRootCauses");
        Positive(MaxEvidencePerCause, "rca.maxEvidencePerCause");
        Positive(MaxTimeline, "rca.maxTimeline");
        Positive(MaxBlastRadius, "rca.maxBlastRadius");
        if (UpstreamDepth is < 0 or > 10 || DownstreamDepth is < 0 or > 10 || SymptomRadius is < 0 or > 10)
        {
            throw new ArgumentException("rca.upstreamDepth, rca.downstreamDepth and rca.symptomRadius must be between 0 and 10.");
        }

        if (ChangeLookback < TimeSpan.Zero || FindingMargin < TimeSpan.Zero || ChangeDecay <= TimeSpan.Zero || OnsetTolerance < TimeSpan.Zero || BurstWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("rca.changeLookback, rca.findingMargin and rca.onsetTolerance must not be negative, rca.changeDecay and rca.burstWindow must be positive.");
        }

        if (CacheCapacity < 0 || CacheTtl < TimeSpan.Zero)
        {
            throw new ArgumentException("rca.cacheCapacity and rca.cacheTtl must not be negative.");
        }

        if (MaxWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException("rca.maxWindow must be positive.");
        }

        Llm.Validate();
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentException($"{name} must be at least 1, got {value}.");
        }
    }
}
