using System.Text.Json;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;

namespace Autopilot.Engines.Tests.State;

/// <summary>
/// The contract of <see cref="IEngineStore"/>, run against every implementation (one derived class each).
/// Records hold lists, which compare by reference, so results are compared as their <see cref="EngineJson"/> text.
/// </summary>
public abstract class EngineStoreTests : IDisposable
{
    private const long T0 = 1_700_000_000_000_000_000;
    private const long Minute = 60_000_000_000;
    private readonly List<IEngineStore> _opened = [];
    private IEngineStore? _store;

    /// <summary>The store under test; opened on first use.</summary>
    protected IEngineStore Store => _store ??= Open();

    [Fact]
    public void LoadSnapshot_NoneSaved_ReturnsNull()
    {
        Assert.Null(Store.LoadSnapshot(0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(10_000)]
    [InlineData(2_000_000)]
    public void SaveSnapshot_ThenLoad_ReturnsSameBytesAndLsn(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);

        Store.SaveSnapshot(new ShardSnapshot(3, 42, data));
        var loaded = Store.LoadSnapshot(3);

        Assert.NotNull(loaded);
        Assert.Equal(3, loaded.Shard);
        Assert.Equal(42, loaded.Lsn);
        Assert.Equal(data, loaded.Data);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, 10_000)]
    [InlineData(7, 100)]
    public void SaveSnapshot_PartOfLargerBuffer_StoresOnlyThatPart(int offset, int length)
    {
        // A shard hands the store its reused buffer: only the bytes written this time may be stored.
        var buffer = new byte[offset + length + 4096];
        new Random(length).NextBytes(buffer);

        Store.SaveSnapshot(4, 77, new ReadOnlyMemory<byte>(buffer, offset, length));
        buffer.AsSpan().Clear(); // the store is done with the memory once the call returns
        var loaded = Store.LoadSnapshot(4);

        var expected = new byte[offset + length + 4096];
        new Random(length).NextBytes(expected);
        Assert.NotNull(loaded);
        Assert.Equal(77, loaded.Lsn);
        Assert.Equal(expected.AsSpan(offset, length).ToArray(), loaded.Data);
    }

    [Fact]
    public void SaveSnapshot_SameShardTwice_KeepsTheLatestOnly()
    {
        Store.SaveSnapshot(new ShardSnapshot(1, 10, [1, 2, 3]));
        Store.SaveSnapshot(new ShardSnapshot(1, 20, [4, 5]));

        var loaded = Store.LoadSnapshot(1);

        Assert.NotNull(loaded);
        Assert.Equal(20, loaded.Lsn);
        Assert.Equal([4, 5], loaded.Data);
    }

    [Fact]
    public void SaveSnapshot_OtherShards_AreIndependent()
    {
        Store.SaveSnapshot(new ShardSnapshot(0, 5, [0]));
        Store.SaveSnapshot(new ShardSnapshot(1, 7, [1]));

        Assert.Equal(5, Store.LoadSnapshot(0)!.Lsn);
        Assert.Equal(7, Store.LoadSnapshot(1)!.Lsn);
        Assert.Null(Store.LoadSnapshot(2));
    }

    [Fact]
    public void Snapshot_AfterReopen_IsStillThere()
    {
        Store.SaveSnapshot(new ShardSnapshot(2, 99, [9, 8, 7]));
        _store!.Dispose();
        _opened.Remove(_store);
        _store = null;

        var loaded = Store.LoadSnapshot(2);

        Assert.NotNull(loaded);
        Assert.Equal(99, loaded.Lsn);
        Assert.Equal([9, 8, 7], loaded.Data);
    }

    [Fact]
    public void UpsertFindings_ThenQuery_RoundTripsEveryField()
    {
        var finding = new Finding("f-1", "urn:autopilot:service:default:checkout", "dq.error_rate", "dq.error_rate", FindingSeverity.Critical, 0.5,
            T0, T0 + Minute, T0 + Minute, "50.0% of 40 spans failed", [new Evidence("window", "20/40", 0.5, 0.05, "window 60s"), new Evidence("trace", "abc")]);

        Store.UpsertFindings([finding]);

        AssertSame([finding], Store.QueryFindings(new FindingQuery()));
    }

    [Fact]
    public void UpsertFindings_SameIdAgain_KeepsOneWithTheLatestContent()
    {
        var first = MakeFinding("f-dup", "urn:a", "volume", T0, score: 0.1);
        var repeat = first with { Score = 0.9, Summary = "again", TimeUnixNano = T0 + 5 };

        Store.UpsertFindings([first]);
        Store.UpsertFindings([repeat]);
        Store.UpsertFindings([repeat]);

        AssertSame([repeat], Store.QueryFindings(new FindingQuery()));
    }

    [Fact]
    public void UpsertFindings_DuplicateWithinOneBatch_KeepsTheLast()
    {
        var first = MakeFinding("f-dup", "urn:a", "volume", T0, score: 0.1);
        var last = first with { Score = 0.7 };

        Store.UpsertFindings([first, last]);

        AssertSame([last], Store.QueryFindings(new FindingQuery()));
    }

    [Fact]
    public void UpsertFindings_Empty_DoesNothing()
    {
        Store.UpsertFindings([]);

        Assert.Empty(Store.QueryFindings(new FindingQuery()));
    }

    [Fact]
    public void QueryFindings_ByTime_IsInclusiveAndOrderedByTime()
    {
        var findings = Enumerable.Range(0, 5).Select(i => MakeFinding($"f-{i}", "urn:a", "volume", T0 + (i * Minute))).ToArray();
        Store.UpsertFindings([.. findings.Reverse()]);

        AssertSame(findings[1..4], Store.QueryFindings(new FindingQuery(From: T0 + Minute, To: T0 + (3 * Minute))));
        AssertSame(findings[3..], Store.QueryFindings(new FindingQuery(From: T0 + (3 * Minute))));
        AssertSame(findings[..1], Store.QueryFindings(new FindingQuery(To: T0)));
        Assert.Empty(Store.QueryFindings(new FindingQuery(From: T0 + (10 * Minute))));
    }

    [Fact]
    public void QueryFindings_ByUrnAndEngine_ReturnsOnlyMatches()
    {
        var a = MakeFinding("f-a", "urn:a", "volume", T0);
        var b = MakeFinding("f-b", "urn:b", "volume", T0 + 1);
        var c = MakeFinding("f-c", "urn:a", "freshness", T0 + 2);
        Store.UpsertFindings([a, b, c]);

        AssertSame([a, c], Store.QueryFindings(new FindingQuery(Urn: "urn:a")));
        AssertSame([a, b], Store.QueryFindings(new FindingQuery(Engine: "volume")));
        AssertSame([c], Store.QueryFindings(new FindingQuery(Urn: "urn:a", Engine: "freshness")));
        Assert.Empty(Store.QueryFindings(new FindingQuery(Urn: "urn:b", Engine: "freshness")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(10_000)]
    public void QueryFindings_Limit_ReturnsTheEarliest(int limit)
    {
        var findings = Enumerable.Range(0, 25).Select(i => MakeFinding($"f-{i:D3}", "urn:a", "volume", T0 + i)).ToArray();
        Store.UpsertFindings(findings);

        AssertSame(findings[..Math.Min(limit, findings.Length)], Store.QueryFindings(new FindingQuery(Limit: limit)));
    }

    [Fact]
    public void QueryFindings_After_ContinuesAfterTheCursor_ThroughTies()
    {
        var findings = Enumerable.Range(0, 17).Select(i => MakeFinding($"f-{(i * 7) % 17:D2}", "urn:a", "volume", T0 + (i / 4))).ToArray();
        Store.UpsertFindings(findings);
        var all = Store.QueryFindings(new FindingQuery(Limit: 100));

        var paged = new List<Finding>();
        FindingCursor? after = null;
        for (var page = Store.QueryFindings(new FindingQuery(Limit: 3)); page.Count > 0; page = Store.QueryFindings(new FindingQuery(Limit: 3, After: after)))
        {
            paged.AddRange(page);
            after = new FindingCursor(page[^1].TimeUnixNano, page[^1].Id);
        }

        Assert.Equal(17, all.Count);
        AssertSame(all, paged);
    }

    [Fact]
    public void GetFindings_ReturnsTheStoredOnesAmongTheIds_InTheirLatestVersion()
    {
        var findings = Enumerable.Range(0, 5).Select(i => MakeFinding($"f-{i}", "urn:a", "volume", T0 + i)).ToArray();
        Store.UpsertFindings(findings);
        var repeated = MakeFinding("f-3", "urn:a", "volume", T0 + Minute, score: 0.9);
        Store.UpsertFindings([repeated]);

        AssertSame([findings[1], repeated], Store.GetFindings(["f-3", "f-missing", "f-1"]).OrderBy(f => f.Id, StringComparer.Ordinal));
        Assert.Empty(Store.GetFindings([]));
        Assert.Empty(Store.GetFindings(["f-missing"]));
    }

    [Fact]
    public void UpsertIncidents_SameId_UpdatesStatusAndContent()
    {
        var open = MakeIncident("i-1", IncidentStatus.Open, T0);
        var resolved = open with { Status = IncidentStatus.Resolved, UpdatedUnixNano = T0 + Minute, ResolvedUnixNano = T0 + Minute };

        Store.UpsertIncidents([open]);
        Store.UpsertIncidents([resolved]);

        AssertSame([resolved], Store.QueryIncidents(new IncidentQuery()));
        Assert.Empty(Store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Open)));
    }

    [Fact]
    public void Commit_Appended_GrowsTheStoredTimelineAndFindingIds_TimelineInTimeOrder_TiesAndIdsInTheOrderWritten()
    {
        var whole = MakeIncident("i-grow", IncidentStatus.Open, T0);
        Store.UpsertIncidents([whole]);
        var grown = whole with { Severity = FindingSeverity.Critical, UpdatedUnixNano = T0 + (2 * Minute), AffectedUrns = ["urn:a", "urn:b", "urn:c"], Summary = "grown" };
        TimelineEntry[] first = [new(T0 + (2 * Minute), "urn:c", "anomaly", "spike", "f-3"), new(T0 - (2 * Minute), "urn:a", "volume", "early", "f-0")];
        TimelineEntry[] second = [new(T0, "urn:c", "anomaly", "tie, written last", "f-4")];

        // The fields come from the write; its own timeline and finding ids are not what is stored.
        Store.Commit([], [IncidentWrite.Append(grown with { Timeline = [], FindingIds = [] }, first, ["f-3", "f-0"])]);
        Store.Commit([], [IncidentWrite.Append(grown with { Timeline = [new(T0, "urn:x", "ignored", "ignored", null)], FindingIds = ["ignored"] }, second, ["f-4"])]);

        var expected = grown with
        {
            FindingIds = ["f-1", "f-2", "f-3", "f-0", "f-4"],
            Timeline = [first[1], whole.Timeline[0], whole.Timeline[1], second[0], first[0]],
        };
        AssertSame([expected], [Store.GetIncident("i-grow")!]);
        AssertSame([expected], Store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Open)));
        AssertSame([expected], Open().QueryIncidents(new IncidentQuery()));
    }

    [Fact]
    public void DeleteBefore_RemovesIncidentsResolvedBeforeIt_WithTheirFindings_ButNotOneALaterIncidentListed()
    {
        // Incidents as the correlator writes them: each with its findings, finding ids and timeline.
        void Write(string id, IncidentStatus status, long updated, params string[] findingIds)
        {
            var findings = findingIds.Select((f, k) => MakeFinding(f, "urn:" + id, "volume", updated - ((findingIds.Length - k) * Minute))).ToList();
            var incident = MakeIncident(id, status, updated) with
            {
                FindingIds = findingIds,
                Timeline = [.. findings.Select(f => new TimelineEntry(f.TimeUnixNano, f.Urn, f.Kind, f.Summary, f.Id))],
            };
            Store.Commit(findings, [IncidentWrite.Whole(incident)]);
        }

        var cutoff = T0 + (60 * Minute);
        Write("old-a", IncidentStatus.Resolved, T0 + (10 * Minute), "a-1", "a-2");
        Write("old-shared", IncidentStatus.Resolved, T0 + (20 * Minute), "d-1", "shared");
        Write("edge", IncidentStatus.Resolved, cutoff, "b-1"); // resolved at the cutoff: kept
        Write("old-open", IncidentStatus.Open, T0 + (5 * Minute), "c-1"); // open, however old
        Write("new-open", IncidentStatus.Open, T0 + (90 * Minute), "e-1", "shared"); // lists a finding an old one lists too
        for (var i = 0; i < 250; i++)
        {
            // More than one batch of old incidents.
            Write($"old-{i:D3}", IncidentStatus.Resolved, T0 + (30 * Minute) + i, $"m-{i:D3}");
        }

        var deleted = Store.DeleteBefore(cutoff);

        Assert.Equal(new StoreDeletion(252, 253), deleted);
        Assert.Null(Store.GetIncident("old-a"));
        Assert.Null(Store.GetIncident("old-shared"));
        Assert.Null(Store.GetIncident("old-249"));
        Assert.Equal(["edge", "new-open", "old-open"], Store.QueryIncidents(new IncidentQuery(Limit: 10_000)).Select(i => i.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["b-1", "c-1", "e-1", "shared"], Store.QueryFindings(new FindingQuery(Limit: 10_000)).Select(f => f.Id).Order(StringComparer.Ordinal));
        var kept = Store.GetIncident("new-open")!;
        Assert.Equal(["e-1", "shared"], kept.FindingIds);
        Assert.Equal(2, kept.Timeline.Count);

        // Nothing left to delete; a later cutoff takes the rest of what was resolved.
        Assert.Equal(default, Store.DeleteBefore(cutoff));
        Assert.Equal(new StoreDeletion(1, 1), Open().DeleteBefore(cutoff + 1));
        Assert.Null(Store.GetIncident("edge"));
    }

    [Fact]
    public void QueryFindings_ExceptIncident_LeavesOutWhatThatIncidentListedLast_AndPagesThroughTheRest()
    {
        // A chronic incident's findings between those of another incident and findings no incident lists.
        var mine = Enumerable.Range(0, 12).Select(i => MakeFinding($"m-{i:D2}", "urn:chronic", "volume", T0 + (i * Minute))).ToList();
        var theirs = new[] { MakeFinding("o-1", "urn:other", "drift", T0 + (3 * Minute)), MakeFinding("o-2", "urn:other", "drift", T0 + (9 * Minute)) };
        var loose = MakeFinding("l-1", "urn:loose", "dq", T0 + (5 * Minute));
        Store.Commit([.. mine, .. theirs, loose], [
            IncidentWrite.Whole(MakeIncident("i-chronic", IncidentStatus.Open, T0 + (11 * Minute)) with { FindingIds = [.. mine.Select(f => f.Id)] }),
            IncidentWrite.Whole(MakeIncident("i-other", IncidentStatus.Open, T0 + (9 * Minute)) with { FindingIds = ["o-1", "o-2", "m-11"] }), // lists m-11 last
        ]);

        var read = new List<string>();
        FindingCursor? after = null;
        for (var page = Store.QueryFindings(new FindingQuery(Limit: 2, ExceptIncident: "i-chronic")); page.Count > 0;
             page = Store.QueryFindings(new FindingQuery(Limit: 2, After: after, ExceptIncident: "i-chronic")))
        {
            read.AddRange(page.Select(f => f.Id));
            after = new FindingCursor(page[^1].TimeUnixNano, page[^1].Id);
        }

        Assert.Equal(["o-1", "l-1", "o-2", "m-11"], read);
        Assert.Equal(15, Store.QueryFindings(new FindingQuery(Limit: 100)).Count);
        Assert.Equal(15, Store.QueryFindings(new FindingQuery(Limit: 100, ExceptIncident: "i-unknown")).Count);
    }

    [Fact]
    public void DeleteBefore_FindingsWrittenBeforeOwnersWereRecorded_GoWithAnOldIncidentListingThem()
    {
        var finding = MakeFinding("f-legacy", "urn:a", "volume", T0);
        Store.Commit([finding], [IncidentWrite.Whole(MakeIncident("i-legacy", IncidentStatus.Resolved, T0) with { FindingIds = ["f-legacy"] })]);
        ForgetFindingOwners();

        Assert.Equal(new StoreDeletion(1, 1), Store.DeleteBefore(T0 + Minute));
        Assert.Empty(Store.GetFindings(["f-legacy"]));
    }

    [Fact]
    public void Commit_AppendedToAnUnknownIncident_StoresItWithWhatWasAppended()
    {
        var fields = MakeIncident("i-new", IncidentStatus.Open, T0) with { Timeline = [], FindingIds = [] };
        TimelineEntry[] entries = [new(T0, "urn:a", "volume", "drop", "f-9")];

        Store.Commit([], [IncidentWrite.Append(fields, entries, ["f-9"])]);

        AssertSame([fields with { Timeline = entries, FindingIds = ["f-9"] }], [Store.GetIncident("i-new")!]);
    }

    [Fact]
    public void UpsertIncidents_AfterAppends_ReplacesTheTimelineAndFindingIds()
    {
        var whole = MakeIncident("i-replace", IncidentStatus.Open, T0);
        Store.UpsertIncidents([whole]);
        Store.Commit([], [IncidentWrite.Append(whole, [new(T0 + Minute, "urn:c", "anomaly", "spike", "f-3")], ["f-3"])]);
        var replacement = whole with { FindingIds = ["f-7"], Timeline = [new(T0 + Minute, "urn:z", "drift", "replaced", "f-7")] };

        Store.UpsertIncidents([replacement]);

        AssertSame([replacement], [Store.GetIncident("i-replace")!]);
        AssertSame([replacement], Open().QueryIncidents(new IncidentQuery()));
    }

    [Fact]
    public void Open_IncidentStoredWholeInItsJson_ByAnEarlierVersion_IsReadWholeAndGrowsByAppends()
    {
        var legacy = MakeIncident("i-legacy", IncidentStatus.Open, T0) with
        {
            Timeline = [new(T0 - Minute, "urn:a", "volume", "drop", "f-1"), new(T0 - Minute, "urn:a", "volume", "same time", "f-2"), new(T0, "urn:b", "status", "opened", null)],
        };
        var other = MakeIncident("i-current", IncidentStatus.Open, T0 + 1);
        Store.UpsertIncidents([other]);
        WriteAsAnEarlierVersion(legacy);

        var reopened = Open();
        AssertSame([legacy], [reopened.GetIncident("i-legacy")!]);
        AssertSame([other, legacy], Open().QueryIncidents(new IncidentQuery()).OrderBy(i => i.Id, StringComparer.Ordinal));
        var entry = new TimelineEntry(T0 + Minute, "urn:c", "anomaly", "later", "f-3");
        reopened.Commit([], [IncidentWrite.Append(legacy with { UpdatedUnixNano = T0 + Minute }, [entry], ["f-3"])]);

        AssertSame([legacy with { UpdatedUnixNano = T0 + Minute, FindingIds = ["f-1", "f-2", "f-3"], Timeline = [.. legacy.Timeline, entry] }], [Open().GetIncident("i-legacy")!]);
    }

    [Fact]
    public void QueryIncidents_ByStatus_ReturnsOnlyThatStatus()
    {
        var open = MakeIncident("i-open", IncidentStatus.Open, T0);
        var acknowledged = MakeIncident("i-ack", IncidentStatus.Acknowledged, T0 + 1);
        var resolved = MakeIncident("i-res", IncidentStatus.Resolved, T0 + 2);
        Store.UpsertIncidents([open, acknowledged, resolved]);

        AssertSame([open], Store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Open)));
        AssertSame([acknowledged], Store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Acknowledged)));
        AssertSame([resolved], Store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Resolved)));
    }

    [Fact]
    public void QueryIncidents_ByTime_IsInclusiveNewestFirst()
    {
        var incidents = Enumerable.Range(0, 5).Select(i => MakeIncident($"i-{i}", IncidentStatus.Open, T0 + (i * Minute))).ToArray();
        Store.UpsertIncidents(incidents);

        AssertSame([incidents[3], incidents[2], incidents[1]], Store.QueryIncidents(new IncidentQuery(From: T0 + Minute, To: T0 + (3 * Minute))));
        AssertSame([incidents[4], incidents[3]], Store.QueryIncidents(new IncidentQuery(Limit: 2)));
        AssertSame([incidents[0]], Store.QueryIncidents(new IncidentQuery(To: T0, Status: IncidentStatus.Open)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void QueryIncidents_AfterCursor_PagesThroughEveryIncidentOnceInOrder(int pageSize)
    {
        // Ties on the updated time (three per minute) are what the id in the cursor is for.
        var incidents = Enumerable.Range(0, 9).Select(i => MakeIncident($"i-{i}", i == 4 ? IncidentStatus.Resolved : IncidentStatus.Open, T0 + (i / 3 * Minute))).ToArray();
        Store.UpsertIncidents(incidents);
        var expected = Store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Open));

        var paged = new List<Incident>();
        IncidentCursor? cursor = null;
        for (var pages = 0; pages <= incidents.Length; pages++)
        {
            var page = Store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Open, Limit: pageSize, After: cursor));
            paged.AddRange(page);
            if (page.Count < pageSize)
            {
                break;
            }

            cursor = new IncidentCursor(page[^1].UpdatedUnixNano, page[^1].Id);
        }

        Assert.Equal(8, expected.Count);
        Assert.Equal(["i-6", "i-7", "i-8", "i-3", "i-5", "i-0", "i-1", "i-2"], expected.Select(i => i.Id));
        AssertSame(expected, paged);
    }

    [Fact]
    public void GetIncident_Known_ReturnsIt()
    {
        var incident = MakeIncident("i-known", IncidentStatus.Acknowledged, T0);
        Store.UpsertIncidents([incident, MakeIncident("i-other", IncidentStatus.Open, T0)]);

        AssertSame([incident], [Store.GetIncident("i-known")!]);
    }

    [Fact]
    public void GetIncident_Unknown_ReturnsNull()
    {
        Store.UpsertIncidents([MakeIncident("i-1", IncidentStatus.Open, T0)]);

        Assert.Null(Store.GetIncident("i-missing"));
    }

    [Fact]
    public async Task Upserts_FromSeveralThreads_KeepExactTotals()
    {
        const int threads = 8;
        const int batches = 25;
        const int perBatch = 20;
        var store = Store;
        using var start = new Barrier(threads);

        var workers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var b = 0; b < batches; b++)
            {
                // Half of each batch is shared by every thread (the same finding found twice), half is the thread's own.
                var findings = Enumerable.Range(0, perBatch).Select(i => i % 2 == 0
                    ? MakeFinding($"f-shared-{b}-{i}", "urn:shared", "volume", T0 + (b * perBatch) + i)
                    : MakeFinding($"f-{t}-{b}-{i}", $"urn:t{t}", "volume", T0 + (b * perBatch) + i)).ToArray();
                store.UpsertFindings(findings);
                store.UpsertIncidents([MakeIncident($"i-{t}-{b}", IncidentStatus.Open, T0 + b), MakeIncident($"i-shared-{b}", IncidentStatus.Open, T0 + b)]);
                store.SaveSnapshot(new ShardSnapshot(t, b, BitConverter.GetBytes(b)));
                Assert.Equal(b, store.LoadSnapshot(t)!.Lsn);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);

        var all = store.QueryFindings(new FindingQuery(Limit: 100_000));
        Assert.Equal((batches * perBatch / 2) + (threads * batches * perBatch / 2), all.Count);
        Assert.Equal(all.Count, all.Select(f => f.Id).Distinct().Count());
        for (var t = 0; t < threads; t++)
        {
            Assert.Equal(batches * perBatch / 2, store.QueryFindings(new FindingQuery(Urn: $"urn:t{t}", Limit: 100_000)).Count);
            Assert.Equal(batches - 1, store.LoadSnapshot(t)!.Lsn);
        }

        Assert.Equal((threads * batches) + batches, store.QueryIncidents(new IncidentQuery(Limit: 100_000)).Count);
    }

    [Fact]
    public async Task Commit_WhileAnotherStoreReads_NeverShowsAFindingWithoutItsIncident()
    {
        const int rounds = 60;
        var writer = Store;
        var reader = Open();
        using var done = new CancellationTokenSource();
        var violations = new List<string>();

        var readTask = Task.Factory.StartNew(() =>
        {
            var reads = 0;
            while (!done.IsCancellationRequested || reads == 0)
            {
                // Findings first: every incident committed with a finding already seen must be there when read next.
                var findings = reader.QueryFindings(new FindingQuery(Urn: "urn:commit", Limit: 100_000));
                var listed = reader.QueryIncidents(new IncidentQuery(Limit: 100_000)).SelectMany(i => i.FindingIds).ToHashSet(StringComparer.Ordinal);
                violations.AddRange(findings.Where(f => !listed.Contains(f.Id)).Select(f => f.Id));
                reads++;
            }
        }, TaskCreationOptions.LongRunning);

        for (var r = 0; r < rounds; r++)
        {
            var finding = MakeFinding($"f-commit-{r}", "urn:commit", "volume", T0 + r);
            var incident = MakeIncident($"i-commit-{r}", IncidentStatus.Open, T0 + r) with { FindingIds = [finding.Id] };
            writer.Commit([finding], [IncidentWrite.Whole(incident)]);
        }

        await done.CancelAsync();
        await readTask;

        Assert.Empty(violations);
        Assert.Equal(rounds, writer.QueryFindings(new FindingQuery(Urn: "urn:commit", Limit: 100_000)).Count);
    }

    [Fact]
    public void Commit_Empty_DoesNothing()
    {
        Store.Commit([], []);

        Assert.Empty(Store.QueryFindings(new FindingQuery()));
        Assert.Empty(Store.QueryIncidents(new IncidentQuery()));
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens a new store instance on this test's storage (the same storage every time within a test).</summary>
    protected abstract IEngineStore OpenStore();

    /// <summary>
    /// Writes an incident's row as versions before the timeline tables did: the whole incident in the json column
    /// (the store has been opened, so the tables exist).
    /// </summary>
    protected abstract void WriteAsAnEarlierVersion(Incident incident);

    /// <summary>Makes every stored finding's owner unknown, as rows written before retention recorded it.</summary>
    protected abstract void ForgetFindingOwners();

    /// <summary>The incident's json as every version writes it.</summary>
    protected static string IncidentJson(Incident incident) => JsonSerializer.Serialize(incident, EngineJson.Options);

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var store in _opened)
            {
                store.Dispose();
            }
        }
    }

    private IEngineStore Open()
    {
        var store = OpenStore();
        _opened.Add(store);
        return store;
    }

    private static Finding MakeFinding(string id, string urn, string engine, long time, double score = 0.5) =>
        new(id, urn, engine, engine + ".kind", FindingSeverity.Warning, score, time - Minute, time, time, $"{engine} on {urn}", [new Evidence("window", "w", 1, 2)]);

    protected static Incident MakeIncident(string id, IncidentStatus status, long updated) =>
        new(id, status, FindingSeverity.Warning, updated - Minute, updated, status == IncidentStatus.Resolved ? updated : null,
            ["urn:a", "urn:b"], ["f-1", "f-2"], [new SuspectedRoot("urn:a", 0.8, ["first to fail"])],
            [new TimelineEntry(updated - Minute, "urn:a", "volume", "drop", "f-1"), new TimelineEntry(updated, "urn:b", "status", "opened", null)], $"incident {id}");

    private static void AssertSame<T>(IEnumerable<T> expected, IEnumerable<T> actual) =>
        Assert.Equal(expected.Select(Json), actual.Select(Json));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, EngineJson.Options);
}
