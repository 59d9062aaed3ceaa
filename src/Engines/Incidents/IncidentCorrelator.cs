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
    /// <summary>Resolved incidents' finding ids remembered (then forgotten at once: a finding repeating after that counts as new).</summary>
    private const int MaxClosedIds = 100_000;

    /// <summary>Event time between two retention sweeps of the store (<see cref="EngineOptions.Retention"/>): an hour.</summary>
    private const long RetentionSweepEvery = 3_600_000_000_000;

    private readonly EngineOptions _options;
    private readonly IEngineStore _store;
    private readonly IEventSink? _events;
    private readonly IAssetRelations? _relations;
    private readonly ISuspectRanker? _ranker;
    /// <summary>
    /// Ids of the findings of resolved incidents (a repeat of one is stored, not added to an incident again), up to
    /// <see cref="MaxClosedIds"/>; an open incident's ids are in <see cref="_owner"/>.
    /// </summary>
    private readonly HashSet<string> _closed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IncidentBuilder> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Owner> _owner = new(StringComparer.Ordinal);
    private long _clock = long.MinValue;
    private long _sweptBefore = long.MinValue;

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
            var builder = new IncidentBuilder(incident, Retention);
            _open[incident.Id] = builder;
            for (var i = 0; i < incident.FindingIds.Count; i++)
            {
                _owner[incident.FindingIds[i]] = new Owner(builder, i);
            }

            _clock = Math.Max(_clock, incident.UpdatedUnixNano);
        }

        // The open incidents' findings as stored: the roots are ranked over them (a long incident's strongest, see
        // IncidentBuilder) and trace ids join findings to them, as before the restart.
        foreach (var finding in store.ReadFindings([.. _owner.Keys]))
        {
            if (_owner.TryGetValue(finding.Id, out var owner))
            {
                owner.Builder.Restore(owner.Index, finding);
            }
        }
    }

    /// <summary>What an open incident keeps in memory beyond its ids (the store has the rest).</summary>
    private IncidentBuilder.Limits Retention => new(_ranker?.MaxFindings ?? int.MaxValue, _options.IncidentEventItems);

    /// <summary>Incidents currently open (for tests and the API).</summary>
    public int OpenIncidents => _open.Count;

    public ValueTask OnFindingsAsync(ReadOnlyMemory<Finding> batch, CancellationToken cancellationToken)
    {
        var changedFindings = new List<Finding>();
        var changed = new HashSet<IncidentBuilder>();
        var events = _events is { Listening: true } ? new List<CloudEvent>() : null;
        foreach (var finding in batch.Span)
        {
            _clock = Math.Max(_clock, finding.TimeUnixNano);
            var owned = _owner.TryGetValue(finding.Id, out var owner);
            var isNew = !owned && !_closed.Contains(finding.Id);
            changedFindings.Add(finding);
            EngineMetrics.Findings.Add(1, new KeyValuePair<string, object?>("engine", finding.Engine), new KeyValuePair<string, object?>("kind", finding.Kind));
            if (!isNew)
            {
                // A repeat (a stale dataset still stale, now critical) says the incident is still going on and may
                // be worse: its time and severity count, so the incident's window covers the finding as stored.
                if (owned && owner.Builder.Repeat(owner.Index, finding))
                {
                    changed.Add(owner.Builder);
                }

                continue;
            }

            events?.Add(new CloudEvent(finding.Id, finding.Urn, "autopilot.finding." + finding.Kind, Time(finding.TimeUnixNano), finding));
            var incident = FindIncident(finding);
            if (incident is null)
            {
                incident = new IncidentBuilder("inc-" + finding.Id[2..], finding.TimeUnixNano, Retention);
                _open[incident.Id] = incident;
            }

            _owner[finding.Id] = new Owner(incident, incident.Add(finding));
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
                _closed.Add(id);
            }

            changed.Add(incident);
        }

        // The store gets what each incident gained since it was last written, not the whole incident again (which grows
        // with every finding); an event sink that is listening gets whole incidents.
        var builders = new List<IncidentBuilder>(changed);
        var writes = new List<IncidentWrite>(builders.Count);
        foreach (var builder in builders)
        {
            writes.Add(builder.Write(_ranker));
        }

        _store.Commit(changedFindings, writes);
        for (var w = 0; w < builders.Count; w++)
        {
            var builder = builders[w];
            if (events is not null)
            {
                var incident = builder.ForEvent(writes[w].Incident, _options.IncidentEventItems);
                var type = incident.Status == IncidentStatus.Resolved ? "resolved" : builder.New ? "opened" : "updated";
                events.Add(new CloudEvent($"{incident.Id}-{incident.UpdatedUnixNano}-{type}", incident.AffectedUrns[0], "autopilot.incident." + type, Time(incident.UpdatedUnixNano), incident)
                {
                    FindingCount = builder.FindingIds.Count,
                    TimelineCount = builder.TimelineCount,
                });
            }

            builder.Written();
        }

        if (events is { Count: > 0 })
        {
            _events!.Publish(events);
        }

        // Keep memory bounded: findings of closed incidents are in the store.
        if (_closed.Count > MaxClosedIds)
        {
            _closed.Clear();
        }

        Sweep();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Retention: once an hour of event time, the store deletes the incidents resolved more than
    /// <see cref="EngineOptions.Retention"/> before the latest finding, with their findings. A failure is counted and
    /// tried again an hour later; it never holds up the findings.
    /// </summary>
    private void Sweep()
    {
        var retention = _options.Retention.Ticks * 100;
        if (_clock == long.MinValue || _clock < retention || _clock - retention < _sweptBefore + RetentionSweepEvery)
        {
            return;
        }

        var cutoff = _clock - retention;
        _sweptBefore = cutoff;
        try
        {
            var deleted = _store.DeleteBefore(cutoff);
            EngineMetrics.Deleted.Add(deleted.Incidents, new KeyValuePair<string, object?>("kind", "incident"));
            EngineMetrics.Deleted.Add(deleted.Findings, new KeyValuePair<string, object?>("kind", "finding"));
        }
        catch (Exception e) when (e is EngineStoreException or System.Data.Common.DbException or InvalidOperationException)
        {
            EngineMetrics.RetentionFailures.Add(1);
        }
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
                || incident.SharesTraceWith(finding)
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

    /// <summary>The incident a finding belongs to and the finding's place in its list of findings.</summary>
    private readonly record struct Owner(IncidentBuilder Builder, int Index);

    private static DateTimeOffset Time(long unixNano) => DateTimeOffset.UnixEpoch.AddTicks(unixNano / 100);

    /// <remarks>
    /// An incident that lasts (a chronic failure: a finding every window for weeks) keeps in memory its finding ids, not
    /// all its findings: the <see cref="Limits.Ranked"/> × 2 strongest (what the RCA ranker ranks, with room for repeats that
    /// weaken some), the latest <see cref="Limits.Timeline"/> timeline entries or more, up to twice that, and the trace ids
    /// of its latest findings (<see cref="MaxTraceIds"/>); the store has everything. Up to those bounds it is exactly as
    /// before; past them the suspected roots are ranked over the strongest findings, with the incident's whole window.
    /// </remarks>
    private sealed class IncidentBuilder
    {
        /// <summary>Trace ids kept per incident to join findings by (the latest; a trace is over within minutes).</summary>
        private const int MaxTraceIds = 1_024;

        /// <summary>Stands in <see cref="_known"/> for a finding only the store keeps now.</summary>
        private static readonly Finding s_evicted = Finding.Create("correlator", "evicted", "urn:autopilot:correlator:none:evicted", FindingSeverity.Info, 0, 0, 0, 0, "kept in the store only");

        /// <summary>How many findings a long incident keeps to rank (0 or less, or <see cref="int.MaxValue"/>: all) and how many timeline entries for events.</summary>
        public readonly record struct Limits(int Ranked, int Timeline);

        public IncidentBuilder(string id, long opened, Limits limits)
        {
            Id = id;
            Opened = opened;
            Updated = opened;
            (_retainLimit, _evictAt) = limits.Ranked is > 0 and < int.MaxValue / 4 ? (2 * limits.Ranked, 3 * limits.Ranked) : (int.MaxValue, int.MaxValue);
            _timelineKept = Math.Max(1, limits.Timeline);
        }

        public IncidentBuilder(Incident existing, Limits limits)
            : this(existing.Id, existing.OpenedUnixNano, limits)
        {
            Updated = existing.UpdatedUnixNano;
            Urns.UnionWith(existing.AffectedUrns);
            foreach (var entry in existing.Timeline)
            {
                AddToTimeline(entry);
                if (entry.FindingId is not null)
                {
                    LastSeen[entry.Urn] = Math.Max(LastSeen.GetValueOrDefault(entry.Urn, long.MinValue), entry.TimeUnixNano);
                }
            }

            FindingIds.AddRange(existing.FindingIds);
            _known.AddRange(new Finding?[existing.FindingIds.Count]);
            _writtenTimeline = Timeline.Count;
            _writtenFindings = FindingIds.Count;
            Severity = existing.Severity;
            TrimTimeline();
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

        /// <summary>
        /// The timeline's latest entries, in the order they were added (the store and <see cref="Write"/> order them by
        /// time): those not written yet and at least the latest <see cref="_timelineKept"/> by time.
        /// </summary>
        public List<TimelineEntry> Timeline { get; } = [];

        /// <summary>The timeline's entries, those only the store keeps now included.</summary>
        public int TimelineCount => _timelineDropped + Timeline.Count;

        private readonly int _timelineKept;
        private int _timelineDropped;

        /// <summary>How many timeline entries and finding ids the store has (the rest are new since the last write).</summary>
        private int _writtenTimeline;
        private int _writtenFindings;

        /// <summary>
        /// The latest version of each finding of <see cref="FindingIds"/> (same place): as stored when the incident was
        /// restored, as last seen since; null for one the store no longer has. The suspected roots are ranked over these.
        /// </summary>
        private readonly List<Finding?> _known = [];

        /// <summary>
        /// The places in <see cref="_known"/> holding a finding (not null, not <see cref="s_evicted"/>): at most
        /// 1.5 × <see cref="_retainLimit"/>, cut back to the strongest <see cref="_retainLimit"/> when over it.
        /// </summary>
        private readonly List<int> _retained = [];
        private bool _retainedInOrder = true;
        private readonly int _retainLimit;
        private readonly int _evictAt;
        private bool _evicted;

        /// <summary>The earliest window start and the latest time among every version of the incident's findings.</summary>
        private long _from = long.MaxValue;
        private long _to = long.MinValue;

        /// <summary>The trace ids of <see cref="TraceIds"/> in the order they came, to forget the oldest past <see cref="MaxTraceIds"/>.</summary>
        private readonly Queue<string> _traceOrder = new();

        /// <summary>
        /// Up to this many known findings the RCA ranker ranks the incident's roots on every change; past it, only when an
        /// asset joined, the severity rose, the incident resolved, or the known findings grew by a tenth since the last
        /// ranking (which costs the incident's findings, up to the ranker's 500): the roots of a long incident are then those
        /// of its last ranking, and ranking costs a constant per finding however long the incident runs.
        /// </summary>
        private const int RankEveryChangeUpTo = 64;

        private IReadOnlyList<SuspectedRoot>? _rankedRoots;
        private int _rankedKnown;
        private int _rankedAssets;
        private FindingSeverity _rankedSeverity;
        private bool _rankedResolved;
        private int _knownCount;

        /// <summary>The incident's assets with known findings, in the order their first one was known, and by URN.</summary>
        private readonly List<AssetFindings> _assets = [];
        private readonly Dictionary<string, AssetFindings> _assetsByUrn = new(StringComparer.Ordinal);

        /// <summary>The earliest entry of the timeline (the first added among equal times): the summary names it.</summary>
        private TimelineEntry? _first;

        /// <summary>Whether every timeline entry was added at or after the one before it (then the list is in time order).</summary>
        private bool _timelineInOrder = true;

        /// <summary>Adds a new finding; returns its place in <see cref="FindingIds"/>.</summary>
        public int Add(Finding finding)
        {
            FindingIds.Add(finding.Id);
            _known.Add(null);
            Known(FindingIds.Count - 1, finding);
            Urns.Add(finding.Urn);
            LastSeen[finding.Urn] = Math.Max(LastSeen.GetValueOrDefault(finding.Urn, long.MinValue), finding.TimeUnixNano);
            AddTraceIds(finding);

            Updated = Math.Max(Updated, finding.TimeUnixNano);
            Severity = (FindingSeverity)Math.Max((int)Severity, (int)finding.Severity);
            AddToTimeline(new TimelineEntry(finding.TimeUnixNano, finding.Urn, finding.Kind, finding.Summary, finding.Id));
            return FindingIds.Count - 1;
        }

        /// <summary>A finding listed at <paramref name="index"/>, as the store has it (after a restart).</summary>
        public void Restore(int index, Finding finding)
        {
            Known(index, finding);
            AddTraceIds(finding);
        }

        /// <summary>
        /// A finding already listed (at <paramref name="index"/>) arrived again; true when that moved the incident's time or severity.
        /// </summary>
        public bool Repeat(int index, Finding finding)
        {
            Known(index, finding);
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
            AddToTimeline(new TimelineEntry(at, Urns.First(), "incident.resolved", "No new findings: resolved.", null));
        }

        /// <summary>
        /// The incident's own fields (status, severity, times, assets, suspected roots, summary) and what it gained since
        /// <see cref="Written"/> was last called: all the store needs.
        /// </summary>
        public IncidentWrite Write(ISuspectRanker? ranker)
        {
            var roots = Rank(ranker);
            var summary = $"{Severity.ToString().ToLowerInvariant()} incident on {Urns.Count} asset(s), {FindingIds.Count} finding(s); first: {_first?.Summary}";
            var incident = new Incident(Id, Resolved is null ? IncidentStatus.Open : IncidentStatus.Resolved, Severity, Opened, Resolved ?? Updated, Resolved,
                [.. Urns.Order(StringComparer.Ordinal)], [], roots, [], summary);
            return IncidentWrite.Append(incident, Timeline.GetRange(_writtenTimeline, Timeline.Count - _writtenTimeline), FindingIds.GetRange(_writtenFindings, FindingIds.Count - _writtenFindings));
        }

        /// <summary>
        /// The incident as its events carry it: its fields, and the latest <paramref name="max"/> of its finding ids (in the
        /// order they joined) and of its timeline entries (in time order, equal times in the order added), as the store
        /// reads them back. With no more than that it is the incident whole. A timeline added to in time order (the usual
        /// case) is cut without sorting, so an event costs the same however long the incident has gone on.
        /// </summary>
        public Incident ForEvent(Incident fields, int max)
        {
            var ids = FindingIds.GetRange(Math.Max(0, FindingIds.Count - max), Math.Min(max, FindingIds.Count));
            var from = Math.Max(0, Timeline.Count - max);
            var timeline = _timelineInOrder
                ? Timeline.GetRange(from, Timeline.Count - from)
                : [.. Timeline.OrderBy(t => t.TimeUnixNano).Skip(from)];
            return fields with { FindingIds = ids, Timeline = timeline };
        }

        /// <summary>Whether the store has not had this incident yet (its first change: it opened, with however many findings).</summary>
        public bool New => _writtenFindings == 0;

        /// <summary>The store has everything the last <see cref="Write"/> gave it.</summary>
        public void Written()
        {
            _writtenTimeline = Timeline.Count;
            _writtenFindings = FindingIds.Count;
            TrimTimeline();
        }

        /// <summary>
        /// Once the written timeline reaches twice what events carry, keeps the latest <see cref="_timelineKept"/> entries
        /// by time (equal times in the order added): every later event's latest entries are among them or newer.
        /// </summary>
        private void TrimTimeline()
        {
            if (_writtenTimeline != Timeline.Count || Timeline.Count < 2 * _timelineKept)
            {
                return;
            }

            if (!_timelineInOrder)
            {
                var sorted = Timeline.OrderBy(t => t.TimeUnixNano).ToList(); // stable: equal times stay in the order added
                Timeline.Clear();
                Timeline.AddRange(sorted);
                _timelineInOrder = true;
            }

            var drop = Timeline.Count - _timelineKept;
            Timeline.RemoveRange(0, drop);
            if (Timeline.Capacity > 4 * _timelineKept)
            {
                Timeline.Capacity = 2 * _timelineKept; // a restored long incident read its whole timeline in
            }

            _timelineDropped += drop;
            _writtenTimeline = Timeline.Count;
        }

        /// <summary>Whether a trace of the finding's evidence is one of this incident's (no allocation: called per open incident and finding).</summary>
        public bool SharesTraceWith(Finding finding)
        {
            if (TraceIds.Count == 0)
            {
                return false;
            }

            var evidence = finding.Evidence;
            for (var i = 0; i < evidence.Count; i++)
            {
                if (evidence[i].Type == "trace" && TraceIds.Contains(evidence[i].Reference))
                {
                    return true;
                }
            }

            return false;
        }

        private void AddTraceIds(Finding finding)
        {
            foreach (var e in finding.Evidence)
            {
                if (e.Type == "trace" && TraceIds.Add(e.Reference))
                {
                    _traceOrder.Enqueue(e.Reference);
                    if (_traceOrder.Count > MaxTraceIds)
                    {
                        TraceIds.Remove(_traceOrder.Dequeue());
                    }
                }
            }
        }

        private void AddToTimeline(TimelineEntry entry)
        {
            _timelineInOrder &= Timeline.Count == 0 || entry.TimeUnixNano >= Timeline[^1].TimeUnixNano;
            Timeline.Add(entry);
            if (_first is null || entry.TimeUnixNano < _first.TimeUnixNano)
            {
                _first = entry;
            }
        }

        /// <summary>The latest version of the finding at <paramref name="index"/> of <see cref="FindingIds"/>.</summary>
        private void Known(int index, Finding finding)
        {
            var previous = _known[index];
            _known[index] = finding;
            _from = Math.Min(_from, finding.WindowStartUnixNano);
            _to = Math.Max(_to, finding.TimeUnixNano);
            if (previous is null || ReferenceEquals(previous, s_evicted))
            {
                _retainedInOrder &= _retained.Count == 0 || index > _retained[^1];
                _retained.Add(index);
                if (_retained.Count > _evictAt)
                {
                    Evict();
                }
            }

            Index(index, finding, wasKnown: previous is not null);
        }

        /// <summary>
        /// Keeps the <see cref="_retainLimit"/> strongest findings in the order the RCA ranker picks them (symptoms before
        /// recoveries, then <see cref="Finding.StrongestFirst"/>, then the earlier place), the others stay in
        /// the store only. The fallback ranking sums up every finding still (its time, score and kind per asset: <see cref="AssetFindings.Facts"/>).
        /// </summary>
        private void Evict()
        {
            var known = _known;
            _retained.Sort((a, b) =>
            {
                Finding x = known[a]!, y = known[b]!;
                var order = (x.Kind == Freshness.FreshnessEngine.RecoveredKind).CompareTo(y.Kind == Freshness.FreshnessEngine.RecoveredKind);
                order = order != 0 ? order : Finding.StrongestFirst.Compare(x, y);
                return order != 0 ? order : a.CompareTo(b);
            });
            for (var i = _retainLimit; i < _retained.Count; i++)
            {
                _known[_retained[i]] = s_evicted;
            }

            _retained.RemoveRange(_retainLimit, _retained.Count - _retainLimit);
            _retained.Sort(); // back in place order, which the ranker reads them in
            _retainedInOrder = true;
            _evicted = true;
        }

        /// <summary>Files a finding's (new) version under its asset.</summary>
        private void Index(int index, Finding finding, bool wasKnown)
        {
            if (!_assetsByUrn.TryGetValue(finding.Urn, out var asset))
            {
                asset = new AssetFindings(finding.Urn);
                _assetsByUrn.Add(finding.Urn, asset);
                _assets.Add(asset);
            }

            if (wasKnown)
            {
                asset.Facts[asset.Places.BinarySearch(index)] = new FindingFacts(finding);
                asset.Stale = true; // a finding's new version: its old time, score or kind may have been the asset's
                return;
            }

            _knownCount++;
            // Places stay ascending: a finding restored from the store and seen again may sit before the asset's others.
            var at = ~asset.Places.BinarySearch(index);
            var facts = new FindingFacts(finding);
            asset.Places.Insert(at, index);
            asset.Facts.Insert(at, facts);
            if (at == asset.Places.Count - 1)
            {
                asset.Include(facts); // the usual case, a new finding after the asset's others: no rescan of them
            }
            else
            {
                asset.Stale = true;
            }
        }

        /// <summary>
        /// The RCA ranker when the host gives one (graph, changes, calibrated scores); it never stops the
        /// correlator: if it fails (or finds nothing) the onset-and-strength ranking below answers, and the failure is counted.
        /// </summary>
        private IReadOnlyList<SuspectedRoot> Rank(ISuspectRanker? ranker)
        {
            if (ranker is not null && _assets.Count > 0)
            {
                if (_rankedRoots is not null && _knownCount > RankEveryChangeUpTo && _assets.Count == _rankedAssets && Severity == _rankedSeverity
                    && (Resolved is not null) == _rankedResolved && _knownCount < _rankedKnown + (_rankedKnown / 10))
                {
                    return _rankedRoots;
                }

                var known = new List<Finding>(_retained.Count);
                if (!_retainedInOrder)
                {
                    _retained.Sort(); // the ranker reads them in place order, as they joined (a restore adds them in the store's)
                    _retainedInOrder = true;
                }

                foreach (var place in _retained)
                {
                    known.Add(_known[place]!);
                }

                try
                {
                    var ranked = _evicted ? ranker.Rank(known, _from, _to, Severity) : ranker.Rank(known);
                    if (ranked.Count > 0)
                    {
                        (_rankedRoots, _rankedKnown, _rankedAssets, _rankedSeverity, _rankedResolved) = (ranked, _knownCount, _assets.Count, Severity, Resolved is not null);
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

            return RankRoots();
        }

        /// <summary>
        /// The fallback ranking: earlier onset first (causes precede effects), then stronger findings; the
        /// score mixes both and stays below 1. Per asset over its known findings: only the assets whose findings changed
        /// since the last ranking are summed up again, so ranking costs the incident's assets, not its findings.
        /// </summary>
        private List<SuspectedRoot> RankRoots()
        {
            var byUrn = new List<AssetFindings>(_assets.Count);
            foreach (var asset in _assets)
            {
                asset.Refresh();
                byUrn.Add(asset);
            }

            // Ties in onset and strength: the asset whose first known finding came first.
            byUrn.Sort(static (x, y) =>
            {
                var order = x.Onset.CompareTo(y.Onset);
                order = order != 0 ? order : y.Strength.CompareTo(x.Strength);
                return order != 0 ? order : x.Places[0].CompareTo(y.Places[0]);
            });
            var roots = new List<SuspectedRoot>();
            for (var i = 0; i < byUrn.Count; i++)
            {
                var x = byUrn[i];
                var onsetScore = byUrn.Count == 1 ? 1.0 : 1.0 - ((double)i / byUrn.Count);
                var score = Math.Round(0.9 * ((0.6 * onsetScore) + (0.4 * x.Strength)), 3);
                roots.Add(new SuspectedRoot(x.Urn, score,
                [
                    i == 0 ? "earliest finding of the incident" : $"finding #{i + 1} in onset order",
                    $"{x.Places.Count} finding(s): {string.Join(", ", x.Kinds)}",
                    $"strongest score {x.Strength:0.##}",
                ]));
            }

            return roots.OrderByDescending(r => r.Score).ToList();
        }

        /// <summary>One asset's known findings (their places in the incident's list, ascending) and what the ranking reads of them.</summary>
        private sealed class AssetFindings(string urn)
        {
            public string Urn { get; } = urn;

            public List<int> Places { get; } = [];

            /// <summary>
            /// What the ranking reads of each finding of <see cref="Places"/> (same order), in its latest version: kept here
            /// because a long incident holds only its strongest findings (the ranking sums up all of them).
            /// </summary>
            public List<FindingFacts> Facts { get; } = [];

            /// <summary>Whether a finding of the asset was added or changed since <see cref="Refresh"/>.</summary>
            public bool Stale { get; set; } = true;

            public long Onset { get; private set; }

            public double Strength { get; private set; }

            /// <summary>The kinds of the asset's findings, each once, in the order of the findings.</summary>
            public List<string> Kinds { get; } = [];

            public void Refresh()
            {
                if (!Stale)
                {
                    return;
                }

                Onset = long.MaxValue;
                Strength = double.MinValue;
                Kinds.Clear();
                foreach (var facts in Facts)
                {
                    Add(facts);
                }

                Stale = false;
            }

            /// <summary>
            /// A new finding placed after the asset's others: folded into what the last <see cref="Refresh"/> summed up, the
            /// same as summing up again (every incident write ranked its assets, and rescanning each changed asset's findings
            /// made a long incident's writes cost its findings rather than its new ones). A stale asset waits for its refresh.
            /// </summary>
            public void Include(FindingFacts facts)
            {
                if (!Stale)
                {
                    Add(facts);
                }
            }

            private void Add(FindingFacts f)
            {
                Onset = Math.Min(Onset, f.Time);
                Strength = Math.Max(Strength, Math.Clamp(f.Score, 0, 1));
                if (!Kinds.Contains(f.Kind))
                {
                    Kinds.Add(f.Kind);
                }
            }
        }

        /// <summary>A finding's time, score and kind: what the fallback ranking sums up per asset.</summary>
        private readonly record struct FindingFacts(long Time, double Score, string Kind)
        {
            public FindingFacts(Finding finding)
                : this(finding.TimeUnixNano, finding.Score, finding.Kind)
            {
            }
        }
    }
}
