using Autopilot.Engines.Events;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;

namespace Autopilot.Engines.Tests.Incidents;

/// <summary>The incident correlator against a real SQLite engine store.</summary>
public sealed class IncidentCorrelatorTests : IDisposable
{
    private const long T0 = 1_764_000_000_000_000_000;
    private const long Minute = 60_000_000_000;
    private const string Dataset = "urn:autopilot:dataset:pg:daily";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-correlator-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteEngineStore _store;

    public IncidentCorrelatorTests()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteEngineStore(Path.Combine(_directory, "engines.db"));
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Repeat_LaterAndWorse_MovesTheIncidentsTimeAndSeverity_WithoutAddingAFinding()
    {
        var correlator = new IncidentCorrelator(new EngineOptions(), _store);
        var stale = Stale(FindingSeverity.Warning, T0 + (15 * Minute));

        // The same stale finding (same id: same engine, kind, URN and window start) reported again at twice the threshold.
        await correlator.OnFindingsAsync(new[] { stale }, CancellationToken.None);
        var worse = Stale(FindingSeverity.Critical, T0 + (30 * Minute));
        await correlator.OnFindingsAsync(new[] { worse }, CancellationToken.None);

        Assert.Equal(stale.Id, worse.Id);
        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal([stale.Id], incident.FindingIds);
        Assert.Equal(T0 + (15 * Minute), incident.OpenedUnixNano);
        Assert.Equal(T0 + (30 * Minute), incident.UpdatedUnixNano);
        Assert.Equal(FindingSeverity.Critical, incident.Severity);

        // The finding as stored (its latest time) lies inside the incident's window, where a reader of the window finds it.
        var inWindow = _store.QueryFindings(new FindingQuery(incident.OpenedUnixNano, incident.UpdatedUnixNano));
        Assert.Equal(FindingSeverity.Critical, Assert.Single(inWindow).Severity);
    }

    [Fact]
    public async Task Repeat_Identical_LeavesTheIncidentAsItWas()
    {
        var correlator = new IncidentCorrelator(new EngineOptions(), _store);
        var stale = Stale(FindingSeverity.Warning, T0 + (15 * Minute));
        await correlator.OnFindingsAsync(new[] { stale }, CancellationToken.None);

        await correlator.OnFindingsAsync(new[] { stale }, CancellationToken.None);

        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal(T0 + (15 * Minute), incident.UpdatedUnixNano);
        Assert.Equal(FindingSeverity.Warning, incident.Severity);
        Assert.Single(incident.FindingIds);
    }

    [Fact]
    public async Task Repeat_AfterARestart_StillUpdatesTheIncidentRestoredFromTheStore()
    {
        var first = new IncidentCorrelator(new EngineOptions(), _store);
        await first.OnFindingsAsync(new[] { Stale(FindingSeverity.Warning, T0 + (15 * Minute)) }, CancellationToken.None);

        var restarted = new IncidentCorrelator(new EngineOptions(), _store);
        await restarted.OnFindingsAsync(new[] { Stale(FindingSeverity.Critical, T0 + (30 * Minute)) }, CancellationToken.None);

        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal(T0 + (30 * Minute), incident.UpdatedUnixNano);
        Assert.Equal(FindingSeverity.Critical, incident.Severity);
        Assert.Single(incident.FindingIds);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(7)]
    [InlineData(0)]
    public async Task LongIncident_EachEventCarriesItsLatestItemsAndTheTotals_TheStoreTheWholeIncident(int max)
    {
        // 260 findings joining one incident in batches of 1-4, some arriving late (earlier in event time than those before
        // them, so the timeline is added out of order). Every incident event carries the latest `max` finding ids and
        // timeline entries of what the store reads back whole, every other field as stored, and the totals as attributes.
        var sink = new RecordingSink();
        var correlator = new IncidentCorrelator(new EngineOptions { IncidentEventItems = max }, _store, sink);
        var random = new Random(9);
        var events = 0;
        for (var m = 0; m < 260;)
        {
            var batch = new List<Finding>();
            for (var k = random.Next(1, 5); k > 0 && m < 260; k--, m++)
            {
                batch.Add(random.Next(10) == 0 && m > 5 ? Spike(m - 3.25) : Spike(m));
            }

            await correlator.OnFindingsAsync(batch.ToArray(), CancellationToken.None);
            var e = sink.Events.Last(e => e.Type.StartsWith("autopilot.incident.", StringComparison.Ordinal));
            var published = Assert.IsType<Incident>(e.Data);
            var whole = _store.GetIncident(published.Id)!;
            Assert.Equal(whole.FindingIds.Count, e.FindingCount);
            Assert.Equal(whole.Timeline.Count, e.TimelineCount);
            Assert.Equal(whole.FindingIds.TakeLast(max), published.FindingIds);
            Assert.Equal(whole.Timeline.TakeLast(max), published.Timeline);
            Assert.Equal(Json(whole with { FindingIds = [], Timeline = [] }), Json(published with { FindingIds = [], Timeline = [] }));
            Assert.Equal(events++ == 0 ? "autopilot.incident.opened" : "autopilot.incident.updated", e.Type);
        }

        var last = sink.Events.Last(e => e.Type.StartsWith("autopilot.incident.", StringComparison.Ordinal));
        Assert.True(last.FindingCount > 250, $"the incident has {last.FindingCount} findings");
        Assert.Equal(Math.Min(max, 260), ((Incident)last.Data).FindingIds.Count);

        // The totals leave as CloudEvents extension attributes; a finding's event has none.
        var json = System.Text.Json.JsonDocument.Parse(EventJson(last)).RootElement;
        Assert.Equal(last.FindingCount, json.GetProperty("findingcount").GetInt64());
        Assert.Equal(last.TimelineCount, json.GetProperty("timelinecount").GetInt64());
        Assert.Equal(Math.Min(max, 260), json.GetProperty("data").GetProperty("findingIds").GetArrayLength());
        var finding = System.Text.Json.JsonDocument.Parse(EventJson(sink.Events.First(e => e.Type.StartsWith("autopilot.finding.", StringComparison.Ordinal)))).RootElement;
        Assert.False(finding.TryGetProperty("findingcount", out _));
    }

    [Fact]
    public async Task GrowingIncident_StoredAsWhatItGained_ReadsBackAsTheWholeIncidentTheEventsCarry_AcrossARestart()
    {
        var sink = new RecordingSink();
        var correlator = new IncidentCorrelator(new EngineOptions(), _store, sink);

        // Five batches, one finding arriving late (earlier in event time than what came before it), two at the same time.
        Finding[][] batches = [[Spike(1), Spike(2)], [Spike(3)], [Spike(0.5), Spike(4), Spike(4, "anomaly.dip")], [Spike(5)], [Spike(6), Spike(2.5)]];
        foreach (var batch in batches)
        {
            await correlator.OnFindingsAsync(batch, CancellationToken.None);
            AssertStoredAsPublished(sink);
        }

        var restarted = new IncidentCorrelator(new EngineOptions(), _store, sink);
        await restarted.OnFindingsAsync(new[] { Spike(7), Spike(0.25) }, CancellationToken.None);
        AssertStoredAsPublished(sink);

        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal(11, incident.FindingIds.Count);
        Assert.Equal(11, incident.FindingIds.Distinct().Count());
        Assert.Equal(11, incident.Timeline.Count);
        Assert.Equal(incident.Timeline.Select(t => t.TimeUnixNano).Order(), incident.Timeline.Select(t => t.TimeUnixNano));
        Assert.Equal(Spike(0.25).Summary, incident.Timeline[0].Summary);
        Assert.EndsWith("first: " + Spike(0.25).Summary, incident.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveStream_WithoutSubscribers_GetsNoEvents_OnceSubscribed_GetsTheWholeIncident()
    {
        await using var live = new EventBroadcaster();
        var correlator = new IncidentCorrelator(new EngineOptions(), _store, live);
        await correlator.OnFindingsAsync(new[] { Spike(1), Spike(2) }, CancellationToken.None);
        Assert.False(live.Listening);

        using var subscription = live.TrySubscribe()!;
        await correlator.OnFindingsAsync(new[] { Spike(3) }, CancellationToken.None);

        var events = new List<CloudEvent>();
        while (subscription.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        Assert.Equal(["autopilot.finding.anomaly.spike", "autopilot.incident.updated"], events.Select(e => e.Type));
        var published = Assert.IsType<Incident>(events[1].Data);
        Assert.Equal(3, published.FindingIds.Count);
        Assert.Equal(Json(_store.GetIncident(published.Id)!), Json(published));
    }

    [Fact]
    public async Task SuspectedRoots_WithoutARanker_EarliestOnsetFirst_TiesToTheStronger_ScoresMixBoth()
    {
        var correlator = new IncidentCorrelator(new EngineOptions(), _store);
        // C starts first (two kinds, its second finding the stronger); A and B start together, B stronger; A's score rises on a repeat.
        await correlator.OnFindingsAsync(new[] { OnTrace("urn:c", "anomaly.dip", 0.2, 0), OnTrace("urn:a", "anomaly.spike", 0.4, 1), OnTrace("urn:b", "anomaly.spike", 0.9, 1) }, CancellationToken.None);
        await correlator.OnFindingsAsync(new[] { OnTrace("urn:c", "anomaly.spike", 0.3, 2), OnTrace("urn:c", "anomaly.dip", 0.25, 0), OnTrace("urn:a", "anomaly.spike", 0.5, 1) }, CancellationToken.None);

        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal(["urn:b", "urn:c", "urn:a"], incident.SuspectedRoots.Select(r => r.Urn));
        Assert.Equal([0.684, 0.648, 0.36], incident.SuspectedRoots.Select(r => r.Score));
        Assert.Equal(["finding #2 in onset order", "1 finding(s): anomaly.spike", "strongest score 0.9"], incident.SuspectedRoots[0].Reasons);
        Assert.Equal(["earliest finding of the incident", "2 finding(s): anomaly.dip, anomaly.spike", "strongest score 0.3"], incident.SuspectedRoots[1].Reasons);
        Assert.Equal(["finding #3 in onset order", "1 finding(s): anomaly.spike", "strongest score 0.5"], incident.SuspectedRoots[2].Reasons);
    }

    [Fact]
    public async Task SuspectedRoots_NewFindingsOfAlreadyRankedAssets_CountTheirKindsScoresAndOnsets()
    {
        // Each batch ranks the incident; a later new finding of an asset is folded into what that ranking summed up.
        var correlator = new IncidentCorrelator(new EngineOptions(), _store);
        await correlator.OnFindingsAsync(new[] { OnTrace("urn:a", "anomaly.spike", 0.4, 1), OnTrace("urn:b", "anomaly.spike", 0.6, 2) }, CancellationToken.None);
        await correlator.OnFindingsAsync(new[] { OnTrace("urn:a", "anomaly.dip", 0.8, 3) }, CancellationToken.None);
        await correlator.OnFindingsAsync(new[] { OnTrace("urn:b", "anomaly.dip", 0.1, 0) }, CancellationToken.None);

        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal(["urn:b", "urn:a"], incident.SuspectedRoots.Select(r => r.Urn));
        Assert.Equal([0.756, 0.558], incident.SuspectedRoots.Select(r => r.Score));
        Assert.Equal(["earliest finding of the incident", "2 finding(s): anomaly.spike, anomaly.dip", "strongest score 0.6"], incident.SuspectedRoots[0].Reasons);
        Assert.Equal(["finding #2 in onset order", "2 finding(s): anomaly.spike, anomaly.dip", "strongest score 0.8"], incident.SuspectedRoots[1].Reasons);
    }

    [Fact]
    public async Task SuspectedRoots_AfterARestart_RankTheStoredFindingsToo_ARestoredOneSeenAgainInItsFirstPlace()
    {
        await new IncidentCorrelator(new EngineOptions(), _store).OnFindingsAsync(
            new[] { OnTrace("urn:c", "anomaly.dip", 0.2, 0), OnTrace("urn:a", "anomaly.spike", 0.4, 1), OnTrace("urn:b", "anomaly.spike", 0.9, 1) }, CancellationToken.None);

        // After the restart: a new finding on C, then C's first finding again (listed before it), B's unchanged; A's comes from the store.
        var restarted = new IncidentCorrelator(new EngineOptions(), _store);
        await restarted.OnFindingsAsync(new[] { OnTrace("urn:c", "anomaly.spike", 0.3, 2), OnTrace("urn:c", "anomaly.dip", 0.25, 0), OnTrace("urn:b", "anomaly.spike", 0.9, 1) }, CancellationToken.None);

        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal(4, incident.FindingIds.Count);
        Assert.Equal(["urn:b", "urn:c", "urn:a"], incident.SuspectedRoots.Select(r => r.Urn));
        Assert.Equal([0.684, 0.648, 0.324], incident.SuspectedRoots.Select(r => r.Score));
        Assert.Equal(["finding #2 in onset order", "1 finding(s): anomaly.spike", "strongest score 0.9"], incident.SuspectedRoots[0].Reasons);
        Assert.Equal(["earliest finding of the incident", "2 finding(s): anomaly.dip, anomaly.spike", "strongest score 0.3"], incident.SuspectedRoots[1].Reasons);
        Assert.Equal(["finding #3 in onset order", "1 finding(s): anomaly.spike", "strongest score 0.4"], incident.SuspectedRoots[2].Reasons);
    }

    [Fact]
    public async Task AfterARestart_AFindingSharingATraceWithARestoredIncident_JoinsIt()
    {
        var first = Finding.Create("anomaly", "anomaly.latency", "urn:autopilot:service:default:api", FindingSeverity.Warning, 0.7, T0, T0 + Minute, T0 + Minute, "slow", SharedTrace);
        await new IncidentCorrelator(new EngineOptions(), _store).OnFindingsAsync(new[] { first }, CancellationToken.None);

        var restarted = new IncidentCorrelator(new EngineOptions(), _store);
        var second = Finding.Create("quality", "dq.error_rate", "urn:autopilot:service:default:db", FindingSeverity.Critical, 0.9, T0 + Minute, T0 + (2 * Minute), T0 + (2 * Minute), "errors", SharedTrace);
        await restarted.OnFindingsAsync(new[] { second }, CancellationToken.None);

        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal([first.Id, second.Id], incident.FindingIds);
        Assert.Equal(FindingSeverity.Critical, incident.Severity);
    }

    [Fact]
    public async Task RcaRanker_RanksEveryChangeOfASmallIncident_ALargeOneWhenItGrewByATenth_AnAssetJoined_OrItResolved()
    {
        var ranker = new CountingRanker();
        var correlator = new IncidentCorrelator(new EngineOptions(), _store, ranker: ranker);
        Finding On(string urn, int i) => OnTrace(urn, "anomaly.spike", 0.5, i / 10.0);

        for (var i = 0; i < 100; i++)
        {
            await correlator.OnFindingsAsync(new[] { On(Dataset, i) }, CancellationToken.None);
        }

        int[] upTo64 = [.. Enumerable.Range(1, 64)];
        Assert.Equal([.. upTo64, 70, 77, 84, 92], ranker.Sizes);
        Assert.Equal(["ranked 92 findings"], Assert.Single(Assert.Single(_store.QueryIncidents(new IncidentQuery())).SuspectedRoots).Reasons);

        // Another asset joins (same trace): ranked again at once.
        await correlator.OnFindingsAsync(new[] { On("urn:autopilot:service:default:etl", 100) }, CancellationToken.None);
        Assert.Equal(101, ranker.Sizes[^1]);

        // A finding two hours later, unrelated: the incident resolves, and is ranked once more as it closes.
        var later = Finding.Create("freshness", "freshness.stale", "urn:autopilot:dataset:pg:other", FindingSeverity.Warning, 0.5, T0 + (120 * Minute), T0 + (121 * Minute), T0 + (121 * Minute), "stale");
        await correlator.OnFindingsAsync(new[] { later }, CancellationToken.None);

        Assert.Equal([1, 101], ranker.Sizes[^2..].Order());
        var resolved = Assert.Single(_store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Resolved)));
        Assert.Equal(["ranked 101 findings"], Assert.Single(resolved.SuspectedRoots).Reasons);
    }

    [Fact]
    public async Task ChronicIncident_HoldsTwiceTheRankedFindings_TheRankerGetsTheWholeWindowAndSeverity_TheStoreEverything()
    {
        // A service failing every minute for 600 minutes: one incident. The ranker ranks at most 5 findings, so the
        // correlator holds 10 to 15 of them; the strongest (the critical one at minute 300, the highest scores) are among
        // those it ranks, the window and severity it is given are the whole incident's.
        var ranker = new CountingRanker { MaxFindings = 5 };
        var sink = new RecordingSink();
        var correlator = new IncidentCorrelator(new EngineOptions { IncidentEventItems = 20 }, _store, sink, ranker: ranker);
        var random = new Random(5);
        var all = new List<Finding>();
        for (var m = 0; m < 600; m++)
        {
            var at = T0 + (m * Minute);
            var finding = Finding.Create("dq", "dq.error_rate", Dataset, m == 300 ? FindingSeverity.Critical : FindingSeverity.Warning, Math.Round(random.NextDouble(), 4),
                at, at + Minute, at + Minute, $"errors at minute {m}", new Evidence("trace", $"trace-{m}"));
            all.Add(finding);
            await correlator.OnFindingsAsync(new[] { finding }, CancellationToken.None);
        }

        // A finding on another asset sharing the latest trace joins it.
        var joins = Finding.Create("anomaly", "anomaly.latency", "urn:autopilot:service:default:api", FindingSeverity.Warning, 0.5, T0 + (600 * Minute), T0 + (601 * Minute), T0 + (601 * Minute), "slow", new Evidence("trace", "trace-599"));
        all.Add(joins);
        await correlator.OnFindingsAsync(new[] { joins }, CancellationToken.None);
        var open = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal(2, open.AffectedUrns.Count);

        // Two hours later, elsewhere: the incident resolves and is ranked as it closes.
        var later = Finding.Create("freshness", "freshness.stale", "urn:autopilot:dataset:pg:other", FindingSeverity.Warning, 0.5, T0 + (720 * Minute), T0 + (721 * Minute), T0 + (721 * Minute), "stale");
        await correlator.OnFindingsAsync(new[] { later }, CancellationToken.None);

        Assert.InRange(ranker.Sizes.Max(), 10, 15);
        var (from, to, severity, strongest) = ranker.LastWindow!.Value;
        Assert.Equal((T0, T0 + (601 * Minute), FindingSeverity.Critical), (from, to, severity));
        var top = all.OrderByDescending(f => f.Severity).ThenByDescending(f => f.Score).Take(5).Select(f => f.Id).ToHashSet();
        Assert.Subset(strongest.ToHashSet(), top);

        // The store and the events have the whole incident: every finding id and timeline entry, the latest 20 of each in events.
        var whole = _store.GetIncident(open.Id)!;
        Assert.Equal(IncidentStatus.Resolved, whole.Status);
        Assert.Equal(all.Select(f => f.Id), whole.FindingIds);
        Assert.Equal(602, whole.Timeline.Count); // and "resolved"
        var last = sink.Events.Last(e => e.Type == "autopilot.incident.resolved");
        Assert.Equal((601, 602), (last.FindingCount, last.TimelineCount));
        Assert.Equal(whole.Timeline.TakeLast(20), ((Incident)last.Data).Timeline);
        Assert.Equal(whole.FindingIds.TakeLast(20), ((Incident)last.Data).FindingIds);
        Assert.EndsWith("first: errors at minute 0", whole.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongIncident_FallbackRanking_SumsUpEveryFinding_NotOnlyThoseItHolds()
    {
        // The same 300 findings on four assets (a shared trace), repeats among them that raise and lower scores and move
        // times, through a correlator without a ranker (which holds everything) and one whose ranker ranks 3 but fails
        // (so it holds 6 to 9 findings and falls back to onset and strength): the same roots, reasons included.
        string[] urns = ["urn:autopilot:service:default:a", "urn:autopilot:service:default:b", "urn:autopilot:service:default:c", Dataset];
        string[] kinds = ["anomaly.spike", "anomaly.dip", "dq.error_rate"];
        var random = new Random(3);
        var batches = new List<Finding[]>();
        var sent = new List<Finding>();
        for (var m = 0; m < 300;)
        {
            var batch = new List<Finding>();
            for (var k = random.Next(1, 4); k > 0 && m < 300; k--, m++)
            {
                var finding = m > 30 && random.Next(6) == 0
                    ? sent[random.Next(sent.Count)] with { Score = Math.Round(random.NextDouble(), 3), TimeUnixNano = T0 + (m * Minute) + Minute }
                    : OnTrace(urns[random.Next(urns.Length)], kinds[random.Next(kinds.Length)], Math.Round(random.NextDouble(), 3), m);
                sent.Add(finding);
                batch.Add(finding);
            }

            batches.Add([.. batch]);
        }

        async Task<Incident> RunAsync(ISuspectRanker? ranker)
        {
            using var store = new SqliteEngineStore(Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db"));
            var correlator = new IncidentCorrelator(new EngineOptions(), store, ranker: ranker);
            foreach (var batch in batches)
            {
                await correlator.OnFindingsAsync(batch, CancellationToken.None);
            }

            return Assert.Single(store.QueryIncidents(new IncidentQuery()));
        }

        var all = await RunAsync(null);
        var held = await RunAsync(new FailingRanker { MaxFindings = 3 });

        Assert.Equal(4, all.SuspectedRoots.Count);
        Assert.Equal(all.SuspectedRoots.Select(r => $"{r.Urn} {r.Score} {string.Join(" | ", r.Reasons)}"), held.SuspectedRoots.Select(r => $"{r.Urn} {r.Score} {string.Join(" | ", r.Reasons)}"));
    }

    [Fact]
    public async Task LongIncident_JoinsByTheTraceIdsOfItsLatestFindings_NotOfItsOldest()
    {
        var correlator = new IncidentCorrelator(new EngineOptions(), _store);
        for (var m = 0; m < 1_100; m++)
        {
            var at = T0 + (m * Minute / 100); // 1,100 findings within 11 minutes, each with a trace of its own
            await correlator.OnFindingsAsync(new[] { Finding.Create("dq", "dq.error_rate", Dataset, FindingSeverity.Warning, 0.5, at, at + Minute, at + Minute, $"errors {m}", new Evidence("trace", $"trace-{m}")) }, CancellationToken.None);
        }

        Finding On(string urn, string trace) =>
            Finding.Create("anomaly", "anomaly.latency", urn, FindingSeverity.Warning, 0.5, T0 + (12 * Minute), T0 + (13 * Minute), T0 + (13 * Minute), "slow", new Evidence("trace", trace));
        await correlator.OnFindingsAsync(new[] { On("urn:autopilot:service:default:api", "trace-1099") }, CancellationToken.None);
        await correlator.OnFindingsAsync(new[] { On("urn:autopilot:service:default:web", "trace-3") }, CancellationToken.None);

        var incidents = _store.QueryIncidents(new IncidentQuery());
        Assert.Equal(2, incidents.Count);
        Assert.Contains(incidents, i => i.AffectedUrns.SequenceEqual([Dataset, "urn:autopilot:service:default:api"]));
        Assert.Contains(incidents, i => i.AffectedUrns.SequenceEqual(["urn:autopilot:service:default:web"]));
    }

    /// <summary>One trace id that all findings of a test share, so findings on different assets join one incident.</summary>
    private static readonly Evidence SharedTrace = new("trace", "4bf92f3577b34da6a3ce929d0e0e4736");

    [Fact]
    public async Task Retention_IncidentsResolvedLongerAgoThanIt_LeaveTheStoreWithTheirFindings_OnEventTime()
    {
        // engines.retention 2 h: an incident resolved at minute ~40 is deleted once the latest finding is more than 2 h
        // past it (at the next hourly sweep); one open since the start is kept whole however old.
        var correlator = new IncidentCorrelator(new EngineOptions { Retention = TimeSpan.FromHours(2) }, _store);
        var early = Spike(0, "anomaly.early");
        var chronic = Enumerable.Range(0, 400).Select(m => Finding.Create("dq", "dq.error_rate", "urn:autopilot:service:prod:chronic", FindingSeverity.Warning, 0.3,
            T0 + (m * Minute), T0 + ((m + 1) * Minute), T0 + ((m + 1) * Minute), $"minute {m}")).ToList();
        await correlator.OnFindingsAsync(new[] { early, chronic[0] }, CancellationToken.None);
        var earlyIncident = _store.QueryIncidents(new IncidentQuery()).Single(i => i.FindingIds.Contains(early.Id));

        for (var m = 1; m < chronic.Count; m++)
        {
            await correlator.OnFindingsAsync(new[] { chronic[m] }, CancellationToken.None);
            var resolved = _store.GetIncident(earlyIncident.Id) is { Status: IncidentStatus.Resolved } r ? r.UpdatedUnixNano : (long?)null;
            if (resolved is { } at && chronic[m].TimeUnixNano - at < (2 * 60 * Minute))
            {
                Assert.NotNull(_store.GetIncident(earlyIncident.Id)); // not before the retention has passed
            }
        }

        Assert.Null(_store.GetIncident(earlyIncident.Id));
        Assert.Empty(_store.GetFindings([early.Id]));
        var open = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal(IncidentStatus.Open, open.Status);
        Assert.Equal(chronic.Select(f => f.Id), open.FindingIds);
        Assert.Equal(chronic.Count, _store.GetFindings([.. chronic.Select(f => f.Id)]).Count);
    }

    /// <summary>An anomaly finding on <paramref name="urn"/> whose window starts at <paramref name="minute"/>, on the shared trace.</summary>
    private static Finding OnTrace(string urn, string kind, double score, double minute)
    {
        var at = T0 + (long)(minute * Minute);
        return Finding.Create("anomaly", kind, urn, FindingSeverity.Warning, score, at, at + Minute, at + Minute, $"{kind} on {urn}", SharedTrace);
    }

    private void AssertStoredAsPublished(RecordingSink sink)
    {
        var published = sink.Events.Last(e => e.Type.StartsWith("autopilot.incident.", StringComparison.Ordinal)).Data as Incident;
        Assert.NotNull(published);
        Assert.Equal(Json(published), Json(_store.GetIncident(published.Id)!));
    }

    private static string Json(Incident incident) => System.Text.Json.JsonSerializer.Serialize(incident, EngineJson.Options);

    private static string EventJson(CloudEvent e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            CloudEventJson.Write(writer, e);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Finding Spike(double minute, string kind = "anomaly.spike")
    {
        var at = T0 + (long)(minute * Minute);
        return Finding.Create("anomaly", kind, Dataset, FindingSeverity.Warning, 0.8, at, at + Minute, at + Minute, $"{kind} at minute {minute}");
    }

    /// <summary>Ranks the last finding's asset first and records how many findings each call was given.</summary>
    private sealed class CountingRanker : ISuspectRanker
    {
        public List<int> Sizes { get; } = [];

        public int MaxFindings { get; init; } = int.MaxValue;

        /// <summary>What the last ranking of a long incident's strongest findings was given.</summary>
        public (long From, long To, FindingSeverity Severity, string[] Ids)? LastWindow { get; private set; }

        public IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> findings)
        {
            Sizes.Add(findings.Count);
            return [new SuspectedRoot(findings[^1].Urn, 0.5, [$"ranked {findings.Count} findings"])];
        }

        public IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> strongest, long fromUnixNano, long toUnixNano, FindingSeverity severity)
        {
            LastWindow = (fromUnixNano, toUnixNano, severity, [.. strongest.Select(f => f.Id)]);
            return Rank(strongest);
        }
    }

    /// <summary>A ranker that ranks few findings and always fails: the correlator falls back to its own ranking.</summary>
    private sealed class FailingRanker : ISuspectRanker
    {
        public int MaxFindings { get; init; } = int.MaxValue;

        public IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> findings) => throw new InvalidOperationException("ranker bug");
    }

    /// <summary>Keeps what the correlator publishes, in order.</summary>
    private sealed class RecordingSink : IEventSink
    {
        public List<CloudEvent> Events { get; } = [];

        public void Publish(IReadOnlyList<CloudEvent> events) => Events.AddRange(events);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static Finding Stale(FindingSeverity severity, long time) =>
        Finding.Create("freshness", "freshness.stale", Dataset, severity, severity == FindingSeverity.Critical ? 1 : 0.5, T0, time, time, $"{Dataset} not updated since T0");
}
