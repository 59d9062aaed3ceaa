using Autopilot.Engines.Events;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.State;

namespace Autopilot.Engines.Incidents;

/// <summary>
/// Turns the stream of findings into incidents. A finding whose id was seen before is a repeat (updated,
/// not added). A new finding joins an open incident when it is within the correlation window of that
/// incident's last finding and shares a URN or a trace id with it, or its URN is related to one of the
/// incident's in the asset graph; otherwise it opens one. Incidents with no finding for
/// <see cref="EngineOptions.ResolveAfter"/> of event time are resolved. Runs on one task (the sink).
/// </summary>
public sealed class IncidentCorrelator
{
    private readonly EngineOptions _options;
    private readonly IEngineStore _store;
    private readonly IEventSink? _events;
    private readonly IAssetRelations? _relations;
    private readonly ISuspectRanker? _ranker;
    private readonly Dictionary<string, Finding> _findings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IncidentBuilder> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IncidentBuilder> _owner = new(StringComparer.Ordinal);
    private long _clock = long.MinValue;

    public IncidentCorrelator(EngineOptions options, IEngineStore store, IEventSink? events = null, IAssetRelations? relations = null, ISuspectRanker? ranker = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        _options = options;
        _store = store;
        _events = events;
        _relations = relations;
        _ranker = ranker;
        foreach (var incident in store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Open, Limit: 10_000)))
        {
            var builder = new IncidentBuilder(incident);
            foreach (var id in incident.FindingIds)
            {
                builder.FindingIds.Add(id);
            }

            _open[incident.Id] = builder;
            foreach (var id in incident.FindingIds)
            {
                _owner[id] = builder;
            }

            _clock = Math.Max(_clock, incident.UpdatedUnixNano);
        }
    }

    /// <summary>Incidents currently open (for tests and the API).</summary>
    public int OpenIncidents => _open.Count;

    public ValueTask OnFindingsAsync(ReadOnlyMemory<Finding> batch, CancellationToken cancellationToken)
    {
        var changedFindings = new List<Finding>();
        var changed = new HashSet<IncidentBuilder>();
        var events = new List<CloudEvent>();
        foreach (var finding in batch.Span)
        {
            _clock = Math.Max(_clock, finding.TimeUnixNano);
            _owner.TryGetValue(finding.Id, out var owner);
            var isNew = owner is null && !_findings.ContainsKey(finding.Id);
            _findings[finding.Id] = finding;
            changedFindings.Add(finding);
            EngineMetrics.Findings.Add(1, new KeyValuePair<string, object?>("engine", finding.Engine), new KeyValuePair<string, object?>("kind", finding.Kind));
            if (!isNew)
            {
                // A repeat (a stale dataset still stale, now critical) says the incident is still going on and may
                // be worse: its time and severity count, so the incident's window covers the finding as stored.
                if (owner is not null && owner.Repeat(finding))
                {
                    changed.Add(owner);
                }

                continue;
            }

            events.Add(new CloudEvent(finding.Id, finding.Urn, "autopilot.finding." + finding.Kind, Time(finding.TimeUnixNano), finding));
            var incident = FindIncident(finding);
            if (incident is null)
            {
                incident = new IncidentBuilder("inc-" + finding.Id[2..], finding.TimeUnixNano);
                _open[incident.Id] = incident;
            }

            incident.Add(finding);
            _owner[finding.Id] = incident;
            changed.Add(incident);
        }

        // Event time only moves forward with findings; incidents quiet for long enough are resolved.
        foreach (var incident in _open.Values.Where(i => _clock - i.Updated > _options.ResolveAfter.Ticks * 100).ToList())
        {
            incident.Resolve(_clock);
            _open.Remove(incident.Id);
            foreach (var id in incident.FindingIds)
            {
                _owner.Remove(id);
            }

            changed.Add(incident);
        }

        var incidents = changed.Count > 0 ? changed.Select(c => c.Build(_findings, _ranker)).ToList() : [];
        _store.Commit(changedFindings, incidents);
        if (incidents.Count > 0)
        {
            foreach (var incident in incidents)
            {
                var type = incident.Status == IncidentStatus.Resolved ? "resolved" : incident.FindingIds.Count == 1 ? "opened" : "updated";
                events.Add(new CloudEvent($"{incident.Id}-{incident.UpdatedUnixNano}-{type}", incident.AffectedUrns[0], "autopilot.incident." + type, Time(incident.UpdatedUnixNano), incident));
            }
        }

        if (events.Count > 0)
        {
            _events?.Publish(events);
        }

        // Keep memory bounded: findings of closed incidents are in the store.
        if (_findings.Count > 100_000)
        {
            var keep = _open.Values.SelectMany(i => i.FindingIds).ToHashSet(StringComparer.Ordinal);
            foreach (var id in _findings.Keys.Where(id => !keep.Contains(id)).ToList())
            {
                _findings.Remove(id);
            }
        }

        return ValueTask.CompletedTask;
    }

    private IncidentBuilder? FindIncident(Finding finding)
    {
        var window = _options.CorrelationWindow.Ticks * 100;
        IncidentBuilder? best = null;
        foreach (var incident in _open.Values)
        {
            if (finding.TimeUnixNano - incident.Updated > window || incident.Opened - finding.TimeUnixNano > window)
            {
                continue;
            }

            if (incident.Urns.Contains(finding.Urn)
                || finding.Evidence.Any(e => e.Type == "trace" && incident.TraceIds.Contains(e.Reference))
                || (_relations is not null && RelatedToRecent(incident, finding, window)))
            {
                if (best is null || incident.Updated > best.Updated)
                {
                    best = incident;
                }
            }
        }

        return best;
    }

    /// <summary>
    /// Whether the finding's asset is near (in the asset graph) an asset of the incident that had a finding within the
    /// correlation window of it: what is going wrong now, not what went wrong at the incident's start while later
    /// findings kept it open (a chain of unrelated blips would otherwise draw every later fault in).
    /// </summary>
    private bool RelatedToRecent(IncidentBuilder incident, Finding finding, long window)
    {
        foreach (var (urn, last) in incident.LastSeen)
        {
            if (finding.TimeUnixNano - last <= window && _relations!.AreRelated(urn, finding.Urn))
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset Time(long unixNano) => DateTimeOffset.UnixEpoch.AddTicks(unixNano / 100);

    private sealed class IncidentBuilder
    {
        public IncidentBuilder(string id, long opened)
        {
            Id = id;
            Opened = opened;
            Updated = opened;
        }

        public IncidentBuilder(Incident existing)
        {
            Id = existing.Id;
            Opened = existing.OpenedUnixNano;
            Updated = existing.UpdatedUnixNano;
            Urns.UnionWith(existing.AffectedUrns);
            Timeline.AddRange(existing.Timeline);
            foreach (var entry in existing.Timeline)
            {
                if (entry.FindingId is not null)
                {
                    LastSeen[entry.Urn] = Math.Max(LastSeen.GetValueOrDefault(entry.Urn, long.MinValue), entry.TimeUnixNano);
                }
            }

            Severity = existing.Severity;
        }

        public string Id { get; }

        public long Opened { get; }

        public long Updated { get; private set; }

        public long? Resolved { get; private set; }

        public FindingSeverity Severity { get; private set; }

        public List<string> FindingIds { get; } = [];

        public HashSet<string> Urns { get; } = new(StringComparer.Ordinal);

        public HashSet<string> TraceIds { get; } = new(StringComparer.Ordinal);

        /// <summary>The latest finding time per asset of the incident.</summary>
        public Dictionary<string, long> LastSeen { get; } = new(StringComparer.Ordinal);

        public List<TimelineEntry> Timeline { get; } = [];

        public void Add(Finding finding)
        {
            FindingIds.Add(finding.Id);
            Urns.Add(finding.Urn);
            LastSeen[finding.Urn] = Math.Max(LastSeen.GetValueOrDefault(finding.Urn, long.MinValue), finding.TimeUnixNano);
            foreach (var e in finding.Evidence)
            {
                if (e.Type == "trace")
                {
                    TraceIds.Add(e.Reference);
                }
            }

            Updated = Math.Max(Updated, finding.TimeUnixNano);
            Severity = (FindingSeverity)Math.Max((int)Severity, (int)finding.Severity);
            Timeline.Add(new TimelineEntry(finding.TimeUnixNano, finding.Urn, finding.Kind, finding.Summary, finding.Id));
        }

        /// <summary>A finding already listed arrived again; true when that moved the incident's time or severity.</summary>
        public bool Repeat(Finding finding)
        {
            var severity = (FindingSeverity)Math.Max((int)Severity, (int)finding.Severity);
            if (finding.TimeUnixNano <= Updated && severity == Severity)
            {
                return false;
            }

            Updated = Math.Max(Updated, finding.TimeUnixNano);
            LastSeen[finding.Urn] = Math.Max(LastSeen.GetValueOrDefault(finding.Urn, long.MinValue), finding.TimeUnixNano);
            Severity = severity;
            return true;
        }

        public void Resolve(long at)
        {
            Resolved = at;
            Timeline.Add(new TimelineEntry(at, Urns.First(), "incident.resolved", "No new findings: resolved.", null));
        }

        public Incident Build(Dictionary<string, Finding> findings, ISuspectRanker? ranker)
        {
            var timeline = Timeline.OrderBy(t => t.TimeUnixNano).ToList();
            var known = FindingIds.Where(findings.ContainsKey).Select(id => findings[id]).ToList();
            var roots = Rank(known, ranker);
            var first = timeline.FirstOrDefault();
            var summary = $"{Severity.ToString().ToLowerInvariant()} incident on {Urns.Count} asset(s), {FindingIds.Count} finding(s); first: {first?.Summary}";
            return new Incident(Id, Resolved is null ? IncidentStatus.Open : IncidentStatus.Resolved, Severity, Opened, Resolved ?? Updated, Resolved,
                [.. Urns.Order(StringComparer.Ordinal)], [.. FindingIds], roots, timeline, summary);
        }

        /// <summary>
        /// The RCA ranker when the host gives one (graph, changes, calibrated scores); it never stops the
        /// correlator: if it fails (or finds nothing) the onset-and-strength ranking below answers, and the failure is counted.
        /// </summary>
        private static IReadOnlyList<SuspectedRoot> Rank(List<Finding> findings, ISuspectRanker? ranker)
        {
            if (ranker is not null && findings.Count > 0)
            {
                try
                {
                    var ranked = ranker.Rank(findings);
                    if (ranked.Count > 0)
                    {
                        return ranked;
                    }
                }
#pragma warning disable CA1031 // A ranker bug must not stop incidents from being recorded; it is counted instead.
                catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
                {
                    EngineMetrics.RankerFailures.Add(1);
                }
            }

            return RankRoots(findings);
        }

        /// <summary>
        /// The fallback ranking: earlier onset first (causes precede effects), then stronger findings; the
        /// score mixes both and stays below 1.
        /// </summary>
        private static List<SuspectedRoot> RankRoots(List<Finding> findings)
        {
            var byUrn = findings.GroupBy(f => f.Urn)
                .Select(g => (Urn: g.Key, Onset: g.Min(f => f.TimeUnixNano), Strength: g.Max(f => Math.Clamp(f.Score, 0, 1)), Count: g.Count(), Kinds: g.Select(f => f.Kind).Distinct().ToList()))
                .OrderBy(x => x.Onset).ThenByDescending(x => x.Strength).ToList();
            var roots = new List<SuspectedRoot>();
            for (var i = 0; i < byUrn.Count; i++)
            {
                var x = byUrn[i];
                var onsetScore = byUrn.Count == 1 ? 1.0 : 1.0 - ((double)i / byUrn.Count);
                var score = Math.Round(0.9 * ((0.6 * onsetScore) + (0.4 * x.Strength)), 3);
                roots.Add(new SuspectedRoot(x.Urn, score,
                [
                    i == 0 ? "earliest finding of the incident" : $"finding #{i + 1} in onset order",
                    $"{x.Count} finding(s): {string.Join(", ", x.Kinds)}",
                    $"strongest score {x.Strength:0.##}",
                ]));
            }

            return roots.OrderByDescending(r => r.Score).ToList();
        }
    }
}
