using System.Diagnostics;
using System.Globalization;
using Autopilot.Engines.Events;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// What a long incident sends to an events file: one asset with a finding every minute of event time (a series that
/// flaps for a day), each finding its own batch, through the correlator with a SQLite store and the file sink, as
/// <c>serve --events-file</c> runs them. Prints the events, the file's bytes, the largest event and the wall time, for each
/// value of <see cref="EngineOptions.IncidentEventItems"/> given (100,000: every item, as before the cap).
/// Usage: <c>incident-events [findings] [items[,items…]]</c>, default <c>1440 100000,100</c>.
/// </summary>
internal static class IncidentEventVolume
{
    private const long T0 = 1_764_000_000_000_000_000;
    private const long Minute = 60_000_000_000;

    public static async Task RunAsync(string[] args)
    {
        var findings = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_440;
        var caps = (args.Length > 1 ? args[1] : "100000,100").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine("incidentEventItems\tfindings\tevents\tfile bytes\tlargest event (bytes)\twall ms");
        foreach (var cap in caps)
        {
            var directory = Path.Combine(Path.GetTempPath(), "autopilot-bench-events-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);
            try
            {
                var path = Path.Combine(directory, "events.jsonl");
                var watch = Stopwatch.StartNew();
                using (var store = new SqliteEngineStore(Path.Combine(directory, "engines.db")))
                {
                    var sink = new FileEventSink(path);
                    var correlator = new IncidentCorrelator(new EngineOptions { IncidentEventItems = cap }, store, sink);
                    for (var m = 0; m < findings; m++)
                    {
                        var at = T0 + (m * Minute);
                        var finding = Finding.Create("anomaly", "anomaly.metric", "urn:autopilot:service:default:checkout", FindingSeverity.Warning, 0.8,
                            at, at + Minute, at + Minute, $"queue.depth on urn:autopilot:service:default:checkout is anomalous at minute {m}");
                        await correlator.OnFindingsAsync(new[] { finding }, CancellationToken.None);
                    }

                    await sink.DisposeAsync();
                }

                watch.Stop();
                var largest = File.ReadLines(path).Max(l => System.Text.Encoding.UTF8.GetByteCount(l));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{cap}\t{findings}\t{File.ReadLines(path).Count()}\t{new FileInfo(path).Length:N0}\t{largest:N0}\t{watch.ElapsedMilliseconds}"));
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
