using System.Globalization;
using Autopilot.Ingest.Wal;
using Autopilot.WalCrashChild;

// Usage: <directory> <segmentSizeBytes> <tasks> <firstId> <appendsPerTask>
// Prints "ready", then "ack <lsn> <id>" after each append completes (durable), until killed or done.
if (args.Length != 5)
{
    await Console.Error.WriteLineAsync("usage: <directory> <segmentSizeBytes> <tasks> <firstId> <appendsPerTask>");
    return 2;
}

var options = new WalOptions
{
    Directory = args[0],
    SegmentSizeBytes = long.Parse(args[1], CultureInfo.InvariantCulture),
};
var tasks = int.Parse(args[2], CultureInfo.InvariantCulture);
var firstId = long.Parse(args[3], CultureInfo.InvariantCulture);
var appendsPerTask = int.Parse(args[4], CultureInfo.InvariantCulture);

await using var wal = await WriteAheadLog.OpenAsync(options);
var stdout = Console.Out; // synchronized and auto-flushed: each line leaves the process whole, at once
stdout.WriteLine("ready");
var workers = Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
{
    for (var k = 0; k < appendsPerTask; k++)
    {
        var id = firstId + (t * 10_000_000L) + k;
        long lsn;
        try
        {
            lsn = await wal.AppendAsync(CrashPayload.For(id), CrashPayload.RecordType);
        }
        catch (WalOverloadedException)
        {
            // Refused, so never acknowledged: the test does not expect it.
            await Task.Yield();
            continue;
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ack {lsn} {id}"));
    }
}));
await Task.WhenAll(workers);
return 0;
