using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Context;

/// <summary>
/// Gathers what an analysis reasons over (DESIGN.md: cache fetch, graph expand, evidence rank, timeline build).
/// Findings come from the engine store, bounded; the graph is expanded from the assets with findings towards
/// their dependencies (against the fault direction of each symptom's plane) as of the onset, through anomalous
/// assets only, with every direct dependent of a visited node counted so a suspect's healthy callers weigh too;
/// changes are read from shortly before the onset to the end.
/// </summary>
internal sealed class RcaContextBuilder(IEngineStore store, IAssetGraph graph, RcaOptions options)
{
    private const string Recovered = Autopilot.Engines.Freshness.FreshnessEngine.RecoveredKind;

    /// <summary>The most findings a window analysis reads (a week of a busy fleet can hold more): ~1.5 s of reading.</summary>
    private const int MaxWindowFindings = 100_000;

    public RcaContext ForIncident(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);

        // The incident's own findings by id, however long it has run: a chronic failure's latest and strongest findings
        // are read as well as its first ones, and only what the ranking and the timeline keep is held.
        var ids = new HashSet<string>(incident.FindingIds, StringComparer.Ordinal);
        var selection = new FindingSelection(options.MaxFindings, options.MaxTimeline);
        foreach (var f in store.ReadFindings([.. ids]))
        {
            selection.Add(f);
        }

        // Findings around it that are not its own (another incident's, or none's) are evidence about the dependencies
        // the expansion reaches; of those, the window's earliest (where causes are), read page by page past the incident's
        // own: a chronic incident's findings fill its window's first pages, and would otherwise crowd every other out.
        var margin = Nanos(options.FindingMargin);
        var others = new List<Finding>();
        var full = false;
        var capped = PageWindow(incident.OpenedUnixNano - margin, incident.UpdatedUnixNano, incident.Id, f =>
        {
            if (ids.Contains(f.Id))
            {
                return true;
            }

            if (others.Count == QueryLimit)
            {
                full = true;
                return false;
            }

            others.Add(f);
            return true;
        });

        var notes = new List<string>();
        if (full)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the incident's window holds more than {QueryLimit} findings outside the incident; the earliest {QueryLimit} were read"));
        }
        else if (capped)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the incident's window holds more than {MaxWindowFindings} findings; the earliest {MaxWindowFindings} were read for findings outside the incident"));
        }

        if (selection.Count < ids.Count)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{ids.Count - selection.Count} of the incident's {ids.Count} findings are not in the store"));
        }

        var (own, unread) = Kept(selection);
        var from = Math.Min(selection.Onset ?? incident.OpenedUnixNano, incident.OpenedUnixNano);
        return Build(incident.Id, incident.Severity, own, others, null, from, incident.UpdatedUnixNano, notes, unread);
    }

    public RcaContext ForWindow(long fromUnixNano, long toUnixNano, string? symptomUrn)
    {
        // Around a symptom: findings within a few hops of it (either direction) are the ones to explain.
        HashSet<string>? near = null;
        if (symptomUrn is not null)
        {
            near = graph.Neighbourhood(symptomUrn, options.SymptomRadius, toUnixNano).Nodes.Select(n => n.Urn).ToHashSet(StringComparer.Ordinal);
            near.Add(symptomUrn);
        }

        // The window's findings page by page, so a busy window's latest and strongest count as much as its first ones;
        // only what the ranking and the timeline keep is held, and of the others (evidence about dependencies) the earliest.
        var selection = new FindingSelection(options.MaxFindings, options.MaxTimeline);
        var others = new List<Finding>();
        var othersSeen = 0;
        var capped = PageWindow(fromUnixNano, toUnixNano, null, f =>
        {
            if (near is null || near.Contains(f.Urn))
            {
                selection.Add(f);
            }
            else if (othersSeen++ < QueryLimit)
            {
                others.Add(f);
            }

            return true;
        });

        var notes = new List<string>();
        if (capped)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the window holds more than {MaxWindowFindings} findings; the earliest {MaxWindowFindings} were read"));
        }

        if (othersSeen > others.Count)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{othersSeen} findings away from the symptom; the earliest {others.Count} were read for evidence on its dependencies"));
        }

        var (own, unread) = Kept(selection);
        return Build(null, selection.Severity, own, others, symptomUrn, fromUnixNano, toUnixNano, notes, unread);
    }

    /// <summary>A context for findings already in hand (the incident correlator's), without reading the store.</summary>
    public RcaContext ForFindings(IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var from = findings.Count > 0 ? findings.Min(f => f.WindowStartUnixNano) : 0;
        var to = findings.Count > 0 ? findings.Max(f => f.TimeUnixNano) : 0;
        var severity = findings.Count > 0 ? findings.Max(f => f.Severity) : FindingSeverity.Info;
        return ForFindings(findings, from, to, severity);
    }

    /// <summary>
    /// A context for the strongest findings of an incident the correlator keeps only those of (a long one): the window
    /// and severity are the whole incident's, so the graph is read as of its onset and its changes over all of it.
    /// </summary>
    public RcaContext ForFindings(IReadOnlyList<Finding> strongest, long fromUnixNano, long toUnixNano, FindingSeverity severity)
    {
        ArgumentNullException.ThrowIfNull(strongest);
        return Build(null, severity, [.. strongest], [], null, fromUnixNano, Math.Max(fromUnixNano, toUnixNano), [], default);
    }

    private int QueryLimit => Math.Min(10_000, options.MaxFindings * 4);

    /// <summary>
    /// A window's findings, earliest first, page by page into <paramref name="visit"/> until it answers false or
    /// <see cref="MaxWindowFindings"/> were read; true when it stopped at that cap with more in the window. The store
    /// leaves out those <paramref name="exceptIncident"/> listed last (not read, where a chronic incident's would fill pages).
    /// </summary>
    private bool PageWindow(long fromUnixNano, long toUnixNano, string? exceptIncident, Func<Finding, bool> visit)
    {
        var read = 0;
        FindingCursor? after = null;
        while (true)
        {
            var page = store.QueryFindings(new FindingQuery(fromUnixNano, toUnixNano, Limit: QueryLimit, After: after, ExceptIncident: exceptIncident));
            foreach (var f in page)
            {
                if (!visit(f))
                {
                    return false;
                }
            }

            read += page.Count;
            if (page.Count < QueryLimit)
            {
                return false;
            }

            if (read >= MaxWindowFindings)
            {
                return true;
            }

            after = new FindingCursor(page[^1].TimeUnixNano, page[^1].Id);
        }
    }

    private RcaContext Build(string? incidentId, FindingSeverity severity, List<Finding> own, List<Finding> others, string? symptomUrn, long from, long to, List<string> notes, Unread unread)
    {
        var timelineFindings = new List<Finding>(own);
        var symptoms = own.Where(f => f.Kind != Recovered).ToList();
        if (symptoms.Count + unread.Symptoms > options.MaxFindings)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{symptoms.Count + unread.Symptoms} findings; the {options.MaxFindings} strongest were ranked"));
            symptoms = [.. symptoms.Order(Finding.StrongestFirst).Take(options.MaxFindings)];
        }

        // Seeds: the most anomalous assets (worst severity, then strongest score, then earliest).
        var byUrn = symptoms.GroupBy(f => f.Urn, StringComparer.Ordinal)
            .Select(g => (Urn: g.Key, Severity: g.Max(f => f.Severity), Score: g.Max(f => f.Score), Onset: g.Min(f => f.WindowStartUnixNano)))
            .OrderByDescending(x => x.Severity).ThenByDescending(x => x.Score).ThenBy(x => x.Onset).ThenBy(x => x.Urn, StringComparer.Ordinal)
            .ToList();
        if (byUrn.Count > options.MaxSymptomUrns)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{byUrn.Count} assets have findings; the {options.MaxSymptomUrns} most anomalous were ranked"));
            var keep = byUrn.Take(options.MaxSymptomUrns).Select(x => x.Urn).ToHashSet(StringComparer.Ordinal);
            symptoms = [.. symptoms.Where(f => keep.Contains(f.Urn))];
            byUrn = [.. byUrn.Take(options.MaxSymptomUrns)];
        }

        var asOf = from;
        var cg = new ContextGraph();
        foreach (var s in byUrn)
        {
            cg.Add(s.Urn, NodeRole.Symptom);
        }

        if (symptomUrn is not null)
        {
            cg.Add(symptomUrn, NodeRole.Symptom);
        }

        // What each asset with findings (the incident's, or others' in the window) is anomalous in: the expansion
        // follows a symptom's dependencies in those planes, and goes no further through assets without findings.
        var anomalous = new Dictionary<string, byte>(StringComparer.Ordinal);
        foreach (var f in symptoms)
        {
            anomalous[f.Urn] = (byte)(anomalous.GetValueOrDefault(f.Urn) | ContextGraph.Mask(SymptomPlanes.Of(f.Kind)));
        }

        foreach (var f in others)
        {
            if (f.Kind != Recovered)
            {
                anomalous[f.Urn] = (byte)(anomalous.GetValueOrDefault(f.Urn) | ContextGraph.Mask(SymptomPlanes.Of(f.Kind)));
            }
        }

        if (symptomUrn is not null && !anomalous.ContainsKey(symptomUrn))
        {
            anomalous[symptomUrn] = ContextGraph.AllPlanes;
        }

        var (anyEdge, truncated) = Expand(cg, asOf, to, anomalous);
        if (truncated)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"the graph expansion stopped at {options.MaxGraphNodes} nodes"));
        }

        // Findings outside the incident (or away from the symptom) that sit on a dependency reached above are
        // evidence about that dependency: a stale input dataset is often filed under its own incident.
        var extra = 0;
        foreach (var f in others)
        {
            if (f.Kind != Recovered && symptoms.Count < options.MaxFindings && cg.TryGet(f.Urn, out _))
            {
                cg.Add(f.Urn, NodeRole.Symptom);
                symptoms.Add(f);
                timelineFindings.Add(f);
                extra++;
            }
        }

        if (extra > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{extra} finding(s) on dependencies from outside the incident or symptom were included"));
        }

        var changes = graph.Changes(cg.Urns, from - Nanos(options.ChangeLookback), to);
        return new RcaContext
        {
            IncidentId = incidentId,
            Severity = severity,
            FromUnixNano = from,
            ToUnixNano = to,
            AsOfUnixNano = asOf,
            SymptomUrn = symptomUrn,
            Findings = symptoms,
            Graph = cg,
            GraphAvailable = anyEdge,
            Changes = changes,
            Timeline = BuildTimeline(timelineFindings, unread.Findings, changes, notes),
            Notes = notes,
        };
    }

    /// <summary>
    /// Breadth-first from the symptoms towards their dependencies, in the planes each symptom is anomalous in. Every
    /// visited node's edges are read once, as of the onset (a node with no edges then appeared during the incident:
    /// read as of the end). A dependency without findings is added (it may be the unobserved cause) but not expanded:
    /// a fault reaches the symptoms through anomalous assets, not through healthy ones. Dependents are only counted,
    /// not added, so the node budget goes to possible causes.
    /// </summary>
    private (bool AnyEdge, bool Truncated) Expand(ContextGraph cg, long asOf, long to, Dictionary<string, byte> anomalous)
    {
        var queue = new Queue<(int Node, int Depth)>();
        for (var i = 0; i < cg.Count; i++)
        {
            queue.Enqueue((i, 0));
        }

        var expanded = new HashSet<int>();
        var dependents = new HashSet<string>(StringComparer.Ordinal);
        var anyEdge = false;
        var truncated = false;
        const byte Counted = (1 << (int)FaultPlane.Request) | (1 << (int)FaultPlane.Data);
        while (queue.TryDequeue(out var item))
        {
            if (!expanded.Add(item.Node))
            {
                continue;
            }

            var urn = cg.Urns[item.Node];
            var follow = item.Depth < options.UpstreamDepth ? anomalous.GetValueOrDefault(urn) : (byte)0;
            var clientWithSymptoms = (anomalous.GetValueOrDefault(urn) & ContextGraph.Mask(FaultPlane.Request)) != 0;
            var edges = graph.EdgesOf(urn, asOf);
            if (edges.Count == 0 && to != asOf)
            {
                edges = graph.EdgesOf(urn, to);
            }

            dependents.Clear();
            foreach (var edge in edges)
            {
                if (string.Equals(edge.From, edge.To, StringComparison.Ordinal))
                {
                    continue;
                }

                anyEdge = true;
                var isFrom = string.Equals(edge.From, urn, StringComparison.Ordinal);
                var other = isFrom ? edge.To : edge.From;
                byte causes = 0, suffers = 0;
                foreach (var plane in GraphEdges.Planes)
                {
                    // The other end is where a fault of this plane comes from, or where this node's own fault goes.
                    if (GraphEdges.FaultFlowsForward(edge.Kind, plane) != isFrom)
                    {
                        causes |= ContextGraph.Mask(plane);
                    }
                    else
                    {
                        suffers |= ContextGraph.Mask(plane);
                    }
                }

                if (suffers != 0)
                {
                    // A dependent: it only counts (a healthy caller of a suspect weighs against it), unless it is already in the graph.
                    if ((suffers & Counted) != 0)
                    {
                        dependents.Add(other);
                    }

                    if (cg.TryGet(other, out var known))
                    {
                        cg.AddEdge(item.Node, known, suffers);
                    }
                }

                if (causes == 0)
                {
                    continue;
                }

                if (!cg.TryGet(other, out var o))
                {
                    if ((causes & follow) == 0)
                    {
                        continue;
                    }

                    if (cg.Count >= options.MaxGraphNodes)
                    {
                        truncated = true;
                        continue;
                    }

                    o = cg.Add(other, NodeRole.Upstream);
                    queue.Enqueue((o, item.Depth + 1));
                }

                cg.AddEdge(o, item.Node, causes);
                if (clientWithSymptoms && isFrom && edge.Stats.Requests > 0 && edge.Kind is EdgeKind.Calls or EdgeKind.Reads or EdgeKind.Writes or EdgeKind.Produces)
                {
                    // This node's spans time its calls to the other end: the ranking compares them before and after the
                    // onset, for clients with request findings only (the others have no findings to lend).
                    cg.AddCalls(o, item.Node, graph.Traffic(edge.From, edge.To, edge.Kind));
                }
            }

            cg.Dependents[item.Node] = dependents.Count;
        }

        return (anyEdge, truncated);
    }

    /// <summary>
    /// The findings and changes in time order, cut to <c>rca.maxTimeline</c> (its two ends) when longer; <paramref name="unread"/>
    /// findings of the incident were passed over (none of the earliest or the latest) and are counted, not listed.
    /// </summary>
    private List<TimelineEntry> BuildTimeline(List<Finding> findings, int unread, IReadOnlyList<ChangeEvent> changes, List<string> notes)
    {
        var all = new List<TimelineEntry>(findings.Count + changes.Count);
        foreach (var f in findings)
        {
            all.Add(new TimelineEntry(f.TimeUnixNano, f.Urn, f.Kind, f.Summary, f.Id));
        }

        foreach (var c in changes)
        {
            all.Add(new TimelineEntry(c.TimeUnixNano, c.Urn, "change." + c.Kind, c.Description, null));
        }

        all.Sort(static (a, b) => a.TimeUnixNano != b.TimeUnixNano ? a.TimeUnixNano.CompareTo(b.TimeUnixNano)
            : string.CompareOrdinal(a.Urn, b.Urn) is var u && u != 0 ? u : string.CompareOrdinal(a.Kind, b.Kind));
        if (all.Count + unread <= options.MaxTimeline)
        {
            return all;
        }

        // The start (causes) and the end (where it stands now) matter most: keep both ends.
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"timeline: {options.MaxTimeline} of {all.Count + unread} entries kept (the earliest and the latest)"));
        if (all.Count <= options.MaxTimeline)
        {
            return all; // not reached: findings are passed over only when more than both ends are listed
        }

        var head = (options.MaxTimeline + 1) / 2;
        var tail = options.MaxTimeline - head;
        return [.. all.Take(head), .. all.Skip(all.Count - tail)];
    }

    internal static long Nanos(TimeSpan span) => span.Ticks * 100;

    /// <summary>What <paramref name="selection"/> kept, and how many findings and symptoms it passed over.</summary>
    private static (List<Finding> Kept, Unread Unread) Kept(FindingSelection selection)
    {
        var kept = selection.Kept();
        return (kept, new Unread(selection.Count - kept.Count, selection.Symptoms - kept.Count(f => f.Kind != Recovered)));
    }

    /// <summary>How many of an incident's (or a window's) findings, and of its symptoms, were read and passed over (<see cref="FindingSelection"/>).</summary>
    private readonly record struct Unread(int Findings, int Symptoms);
}
