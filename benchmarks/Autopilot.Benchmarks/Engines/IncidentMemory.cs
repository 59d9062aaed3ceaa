using System.Diagnostics;
using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// What a chronic failure costs the correlator's memory: one service whose error rate is over the threshold every minute
/// of event time (a <c>dq.error_rate</c> finding a minute, as the error-rate engine writes it: the window and two sample
/// trace ids as evidence), each finding its own batch, through <see cref="IncidentCorrelator"/> with a SQLite store and
/// the RCA ranker as <c>serve</c> wires them (over an empty asset graph). The incident never resolves, so it gains every
/// finding. At each checkpoint prints the heap after a full collection (the correlator alive), the bytes per finding
/// since the previous checkpoint and the wall time; at the end what a restarted correlator (restoring the open incident
/// from the store) holds and how long its restore took, and the size of the incident as the API returns it. Usage: <c>incident-memory [findings] [checkpoints]</c>, default
/// <c>20000 1000,5000,10000,20000</c> (20,000 findings: two weeks of one-minute windows).
/// </summary>
internal static class IncidentMemory
{
    private const long T0 = 1_764_000_000_000_000_000;
    private const long Minute = 60_000_000_000;
    private const string Urn = "urn:autopilot:service:default:checkout";

    public static async Task RunAsync(string[] args)
    {
        var findings = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var checkpoints = (args.Length > 1 ? args[1] : "1000,5000,10000,20000").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToHashSet();
        checkpoints.Add(findings);
        var directory = Path.Combine(Path.GetTempPath(), "autopilot-bench-incident-memory-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            using var store = new SqliteEngineStore(Path.Combine(directory, "engines.db"));
            var ranker = new Autopilot.Rca.RcaAnalyzer(store, new Autopilot.Rca.Graph.AssetGraph(), new Autopilot.Rca.RcaOptions()).SuspectRanker;
            var options = new EngineOptions();
            var baseline = Heap();
            Console.WriteLine("findings\theap after a full collection (MB)\tbytes per finding since the last line\twall ms");
            await FeedAsync(new IncidentCorrelator(options, store, ranker: ranker), findings, checkpoints, baseline);
            // Restored twice: the first restore's reading leaves pooled buffers (a few MB) that are no one's state; the
            // second one's heap over what is left without it is what the restored correlator holds.
            Restore(options, store, ranker);
            var withoutCorrelator = Heap();
            var watch = Stopwatch.StartNew();
            var restored = Restore(options, store, ranker);
            watch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"restart: {restored.OpenIncidents} open incident(s) restored in {watch.ElapsedMilliseconds} ms, holding {(Heap() - withoutCorrelator) / 1e6:0.00} MB"));
            GC.KeepAlive(restored);

            // What the API answers for it: GET /api/incidents/{id} (and each list that includes it) returns an incident whole.
            var incident = store.QueryIncidents(new IncidentQuery(Status: IncidentStatus.Open)).Single();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"the incident as the API returns it: {System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(incident, EngineJson.Options).Length:N0} bytes ({incident.FindingIds.Count:N0} finding ids, {incident.Timeline.Count:N0} timeline entries)"));
            await ExplainAsync(store, incident);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The chronic failure's findings, one a minute; prints the heap at each checkpoint.</summary>
    private static async Task FeedAsync(IncidentCorrelator correlator, int findings, HashSet<int> checkpoints, long baseline)
    {
        var watch = Stopwatch.StartNew();
        var (lastCount, lastHeap) = (0, baseline);
        var random = new Random(7);
        for (var m = 0; m < findings; m++)
        {
            var start = T0 + (m * Minute);
            var total = 900 + random.Next(200);
            var errors = (total / 10) + random.Next(total / 10);
            var ratio = (double)errors / total;
            var finding = Finding.Create("dq", "dq.error_rate", Urn, ratio >= 0.2 ? FindingSeverity.Critical : FindingSeverity.Warning, ratio, start, start + Minute, start + Minute,
                string.Create(CultureInfo.InvariantCulture, $"{ratio:P1} of {total} spans failed ({errors} errors) on {Urn}"),
                new Evidence("window", string.Create(CultureInfo.InvariantCulture, $"{errors}/{total} spans failed"), ratio, 0.05, "window 60s"),
                new Evidence("trace", TraceId(random)),
                new Evidence("trace", TraceId(random)));
            await correlator.OnFindingsAsync(new[] { finding }, CancellationToken.None);
            if (checkpoints.Contains(m + 1))
            {
                var heap = Heap();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{m + 1}\t{(heap - baseline) / 1e6:0.00}\t{(heap - lastHeap) / (double)(m + 1 - lastCount):0}\t{watch.ElapsedMilliseconds}"));
                (lastCount, lastHeap) = (m + 1, heap);
            }
        }
    }

    /// <summary>
    /// GET /api/incidents/{id}/explain for it (the rules explainer, a cold analysis): wall time, bytes allocated, and how
    /// much of the incident the answer covers (its timeline's last entry against the incident's last update, and the notes).
    /// </summary>
    private static async Task ExplainAsync(SqliteEngineStore store, Incident incident)
    {
        using var analyzer = new Autopilot.Rca.RcaAnalyzer(store, new Autopilot.Rca.Graph.AssetGraph(), new Autopilot.Rca.RcaOptions());
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var answer = await analyzer.ExplainIncidentAsync(incident.Id, Autopilot.Rca.RcaExplainerChoice.Rules);
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var last = answer!.Timeline.Count > 0 ? answer.Timeline[^1].TimeUnixNano : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"explain: {watch.ElapsedMilliseconds} ms, {allocated / 1e6:0.0} MB allocated; its timeline ends {(incident.UpdatedUnixNano - last) / (double)Minute:N0} minutes before the incident's last update; {answer.RootCauses.Count} root cause(s)"));
        foreach (var note in answer.Notes ?? [])
        {
            Console.WriteLine("  note: " + note);
        }

        // POST /api/rca/analyze over the same window (from its opening to its last update), without a symptom.
        allocated = GC.GetAllocatedBytesForCurrentThread();
        watch.Restart();
        var window = await analyzer.AnalyzeWindowAsync(incident.OpenedUnixNano, incident.UpdatedUnixNano, explainer: Autopilot.Rca.RcaExplainerChoice.Rules);
        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        last = window.Timeline.Count > 0 ? window.Timeline[^1].TimeUnixNano : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"analyze the window: {watch.ElapsedMilliseconds} ms, {allocated / 1e6:0.0} MB allocated; its timeline ends {(incident.UpdatedUnixNano - last) / (double)Minute:N0} minutes before the window's end"));
        foreach (var note in window.Notes ?? [])
        {
            Console.WriteLine("  note: " + note);
        }
    }

    private static string TraceId(Random random) =>
        random.NextInt64().ToString("x16", CultureInfo.InvariantCulture) + random.NextInt64().ToString("x16", CultureInfo.InvariantCulture);

    private static IncidentCorrelator Restore(EngineOptions options, SqliteEngineStore store, Autopilot.Engines.Incidents.ISuspectRanker ranker) =>
        new(options, store, ranker: ranker);

    private static long Heap() => GC.GetTotalMemory(forceFullCollection: true);
}
