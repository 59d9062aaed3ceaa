using System.Diagnostics;
using System.Globalization;
using System.Text;
using Autopilot.Ingest.Wal;
using Autopilot.WalCrashChild;
using Xunit.Abstractions;

namespace Autopilot.Ingest.Tests.Wal;

/// <summary>
/// Kills a real appending process with SIGKILL at seeded random moments and checks that every append it saw
/// acknowledged is replayed intact, reopening the same directory each round.
/// </summary>
public sealed class WalCrashTests : IDisposable
{
    private const int Rounds = 5;
    private const int SegmentSize = 64 * 1024; // small, so the kills also land around segment rolls
    private readonly TempDirectory _dir = new();
    private readonly ITestOutputHelper _output;

    public WalCrashTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Kill9_AtRandomMoments_EveryAcknowledgedRecordIsReplayedIntact()
    {
        var random = new Random(20261107);
        var acknowledged = new Dictionary<long, long>(); // id → LSN the child was told
        for (var round = 0; round < Rounds; round++)
        {
            var killAfter = random.Next(0, 2500);
            var acks = await RunChildAndKillAsync(firstId: round * 1_000_000_000_000L, killAfter);
            Assert.True(acks.Count >= killAfter, $"round {round}: the child acknowledged only {acks.Count} of {killAfter} appends");
            foreach (var (id, lsn) in acks)
            {
                acknowledged.Add(id, lsn);
            }

            await using var wal = await WriteAheadLog.OpenAsync(new WalOptions { Directory = _dir.Path, SegmentSizeBytes = SegmentSize });
            var replayed = new Dictionary<long, long>();
            var expectedLsn = 0L;
            await foreach (var record in wal.ReadFromCheckpointAsync())
            {
                Assert.True(CrashPayload.TryVerify(record.Payload.Span, out var id), $"round {round}: LSN {record.Lsn} replayed a damaged payload");
                Assert.Equal(CrashPayload.RecordType, record.Type);
                Assert.Equal(expectedLsn++, record.Lsn); // no gaps: only an unacknowledged tail may be cut
                replayed.Add(id, record.Lsn);
            }

            foreach (var (id, lsn) in acknowledged)
            {
                Assert.True(replayed.TryGetValue(id, out var replayedLsn), $"round {round}: acknowledged id {id} (LSN {lsn}) was lost");
                Assert.Equal(lsn, replayedLsn);
            }

            Assert.InRange(wal.CorruptRecordCount, 0, 1); // at most the one torn record the kill cut short
            _output.WriteLine(
                $"round {round}: killed after {acks.Count} acks (asked {killAfter}); {replayed.Count} records replayed, " +
                $"{_dir.SegmentFiles().Length} segments, torn tail: {wal.CorruptRecordCount}");
        }
    }

    private async Task<List<(long Id, long Lsn)>> RunChildAndKillAsync(long firstId, int killAfter)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "WalCrashChild", "Autopilot.WalCrashChild.dll");
        Assert.True(File.Exists(dll), $"the crash child is not built next to the tests at {dll}");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, _dir.Path, SegmentSize.ToString(CultureInfo.InvariantCulture), "16", firstId.ToString(CultureInfo.InvariantCulture), "1000000" })
        {
            psi.ArgumentList.Add(arg);
        }

        using var child = Process.Start(psi) ?? throw new InvalidOperationException("could not start the crash child");
        var stderr = new StringBuilder();
        child.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        child.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var acks = new List<(long, long)>();
        var ready = false;
        try
        {
            while (!ready || acks.Count < killAfter)
            {
                var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    lock (stderr)
                    {
                        Assert.Fail($"the crash child exited early ({acks.Count} acks): {stderr}");
                    }
                }

                ready |= line == "ready";
                Collect(line, acks);
            }
        }
        finally
        {
            child.Kill(); // SIGKILL on Unix: no finalizers, no flush, no dispose
        }

        // Whatever the child printed before it died was acknowledged too.
        while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            Collect(line, acks);
        }

        await child.WaitForExitAsync(timeout.Token);
        return acks;
    }

    private static void Collect(string? line, List<(long, long)> acks)
    {
        var parts = line?.Split(' ');
        if (parts is ["ack", var lsn, var id])
        {
            acks.Add((long.Parse(id, CultureInfo.InvariantCulture), long.Parse(lsn, CultureInfo.InvariantCulture)));
        }
    }
}
