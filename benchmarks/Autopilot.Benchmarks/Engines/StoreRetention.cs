using System.Diagnostics;
using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Microsoft.Data.Sqlite;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// What <c>engines.retention</c> costs the embedded store. Writes <c>incidents</c> resolved incidents of <c>findings</c>
/// findings each into a new SQLite file, one <see cref="IEngineStore.Commit"/> per incident as the correlator writes them
/// (each finding's row then also records the incident that listed it), then deletes them all with
/// <c>DeleteBefore</c>. Prints the write time per finding and the delete rate, per round. <c>DeleteBefore</c> is looked up
/// by name, so the same file runs in a build from before retention (the peer: write time only). Usage:
/// <c>store-retention [incidents] [findings each] [rounds]</c>, default <c>2000 10 3</c>.
/// </summary>
internal static class StoreRetention
{
    private const long T0 = 1_764_000_000_000_000_000;
    private const long Minute = 60_000_000_000;

    public static void Run(string[] args)
    {
        var incidents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
        var each = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        Console.WriteLine("round\twrite µs per finding\tdelete ms\tdeleted (incidents, findings)\tfindings deleted per second");
        for (var round = 1; round <= rounds; round++)
        {
            var directory = Path.Combine(Path.GetTempPath(), "autopilot-bench-retention-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                using var store = new SqliteEngineStore(Path.Combine(directory, "engines.db"));
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < incidents; i++)
                {
                    Write(store, i, each);
                }

                var write = watch.Elapsed.TotalMicroseconds / (incidents * (double)each);
                var delete = typeof(SqliteEngineStore).GetMethod("DeleteBefore");
                if (delete is null)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round}\t{write:0.0}\t-\t-\t-"));
                    continue;
                }

                watch.Restart();
                var deleted = delete.Invoke(store, [T0 + ((incidents + 1) * Minute)]);
                var ms = watch.Elapsed.TotalMilliseconds;
                var findings = (long)deleted!.GetType().GetProperty("Findings")!.GetValue(deleted)!;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round}\t{write:0.0}\t{ms:0}\t{deleted}\t{findings / (ms / 1000):N0}"));
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>One resolved incident with its findings, written whole as the correlator's first write of it.</summary>
    private static void Write(SqliteEngineStore store, int i, int each)
    {
        var start = T0 + (i * Minute);
        var urn = "urn:autopilot:service:prod:s" + (i % 100).ToString(CultureInfo.InvariantCulture);
        var findings = new List<Finding>(each);
        for (var k = 0; k < each; k++)
        {
            findings.Add(Finding.Create("dq", "dq.error_rate", urn, FindingSeverity.Warning, 0.3, start + k, start + Minute + k, start + Minute + k,
                "errors over the threshold", new Evidence("window", "1-minute window", 0.3, 0.05)));
        }

        var incident = new Incident("inc-" + i.ToString(CultureInfo.InvariantCulture), IncidentStatus.Resolved, FindingSeverity.Warning, start, start + Minute + each, start + Minute + each,
            [urn], [.. findings.Select(f => f.Id)], [], [.. findings.Select(f => new TimelineEntry(f.TimeUnixNano, f.Urn, f.Kind, f.Summary, f.Id))], "errors");
        store.Commit(findings, [IncidentWrite.Whole(incident)]);
    }
}
