using System.Text.Json;
using Autopilot.Engines.Events;

namespace Autopilot.Engines.Tests.Events;

public sealed class FileEventSinkTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-file-sink-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public async Task Rotation_KeepsEveryFileUnderTheLimit_TheNewestBackups_EveryLineWhole(int maxBackups)
    {
        // 200 events of ~300 bytes in batches of 1-7 into files of at most 4 KB: the current file and the backups hold
        // whole JSON lines in order, none passes the limit, and the backups kept are the newest (all of them with 0).
        var path = Path.Combine(_directory, "out", "events.jsonl");
        var sink = new FileEventSink(path, maxBytes: 4096, maxBackups: maxBackups);
        var random = new Random(4);
        for (var i = 0; i < 200;)
        {
            var batch = new List<CloudEvent>();
            for (var k = random.Next(1, 8); k > 0 && i < 200; k--, i++)
            {
                batch.Add(Event(i));
            }

            sink.Publish(batch);
        }

        Assert.Equal(200, sink.Written);
        Assert.Equal(0, sink.Dropped);
        await sink.DisposeAsync();

        var backups = Directory.GetFiles(Path.Combine(_directory, "out"), "events-*.jsonl").Order(StringComparer.Ordinal).ToList();
        Assert.Matches(@"events-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}\.jsonl$", backups[0]);
        if (maxBackups > 0)
        {
            Assert.Equal(maxBackups, backups.Count);
        }

        var files = backups.Append(path).ToList();
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 4096));
        var ids = files.SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).ToList();
        var first = 200 - ids.Count;
        Assert.Equal(Enumerable.Range(first, ids.Count).Select(i => "e" + i), ids); // the newest, in order, none torn
        Assert.Equal(maxBackups == 0, first == 0);
    }

    [Fact]
    public async Task Reopened_AppendsToWhatIsThere_AndCountsItTowardsTheLimit()
    {
        var path = Path.Combine(_directory, "events.jsonl");
        var first = new FileEventSink(path, maxBytes: 4096, maxBackups: 2);
        first.Publish([.. Enumerable.Range(0, 8).Select(Event)]); // 8 lines of 441 bytes: under the limit
        await first.DisposeAsync();
        var before = new FileInfo(path).Length;

        var second = new FileEventSink(path, maxBytes: 4096, maxBackups: 2);
        second.Publish([.. Enumerable.Range(8, 8).Select(Event)]); // the second of these would pass it
        await second.DisposeAsync();

        Assert.InRange(before, 2048, 4096);
        var backup = Assert.Single(Directory.GetFiles(_directory, "events-*.jsonl"));
        Assert.Equal(9, File.ReadAllLines(backup).Length);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => "e" + i), new[] { backup, path }.SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task RemovedMovedOrTruncatedUnderIt_TheNextBatchGoesToTheFileAtThePath()
    {
        var path = Path.Combine(_directory, "events.jsonl");
        var sink = new FileEventSink(path, maxBytes: 4096, maxBackups: 5);
        sink.Publish([Event(0), Event(1)]);

        File.Delete(path); // rm, or a cleanup job: the lines went to a file no one could read
        sink.Publish([Event(2)]);
        Assert.Equal(["e2"], Ids(path));

        File.Move(path, path + ".1"); // logrotate's default: moved away, an empty file created in its place
        await File.WriteAllTextAsync(path, string.Empty);
        sink.Publish([Event(3)]);
        Assert.Equal(["e3"], Ids(path));
        Assert.Equal(["e2"], Ids(path + ".1"));

        File.Move(path, path + ".2"); // moved away, nothing in its place
        sink.Publish([Event(4)]);
        Assert.Equal(["e4"], Ids(path));

        sink.Publish([.. Enumerable.Range(5, 7).Select(Event)]); // 8 lines of 441 bytes: under the limit
        File.Copy(path, path + ".3"); // copytruncate: copied, then emptied in place
        await using (new FileStream(path, FileMode.Truncate))
        {
        }

        sink.Publish([Event(12), Event(13)]); // under the limit in the emptied file: no rotation
        await sink.DisposeAsync();
        Assert.Equal(["e12", "e13"], Ids(path));
        Assert.Equal(Enumerable.Range(4, 8).Select(i => "e" + i), Ids(path + ".3"));
        Assert.Empty(Directory.GetFiles(_directory, "events-*.jsonl"));
        Assert.Equal((14, 0), (sink.Written, sink.Dropped));
    }

    [Fact]
    public async Task DiskFull_NeverThrows_CountsWhatWasLost_ReportsOncePerRunOfFailures()
    {
        // /dev/full fails every write with "no space left on device", as a full disk does.
        Assert.True(File.Exists("/dev/full"), "/dev/full is missing: these tests run on Linux");
        var errors = new List<Exception>();
        var sink = new FileEventSink("/dev/full", onError: errors.Add);
        sink.Publish([Event(1), Event(2)]);
        sink.Publish([Event(3)]);
        sink.Publish([]);

        Assert.Equal(3, sink.Dropped);
        Assert.Equal(0, sink.Written);
        var error = Assert.Single(errors);
        Assert.IsAssignableFrom<IOException>(error);
        await sink.DisposeAsync();
        sink.Publish([Event(4)]); // after disposal: ignored, not thrown
    }

    [Fact]
    public void Constructor_PathThatCannotBeOpened_ThrowsAtStartUp()
    {
        var blocker = Path.Combine(_directory, "file");
        Directory.CreateDirectory(_directory);
        File.WriteAllText(blocker, "x");
        Assert.ThrowsAny<IOException>(() => new FileEventSink(Path.Combine(blocker, "events.jsonl")));
    }

    private static CloudEvent Event(int i) =>
        new("e" + i, "urn:autopilot:service:default:checkout", "autopilot.finding.dq.error_rate", DateTimeOffset.UnixEpoch.AddSeconds(i),
            new { summary = "5 of 20 spans failed on checkout in the minute " + i, padding = new string('p', 150) });

    private static List<string?> Ids(string file) => [.. File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString())];
}
