using System.Globalization;
using System.Text;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Tests.Wal;
using Autopilot.Pipeline;

namespace Autopilot.Ingest.Tests.Receivers;

/// <summary>
/// <see cref="BroadcastDownstream"/> behind a real <see cref="IngestService"/> (write-ahead log on disk, real
/// decoder): every downstream sees every batch in log order, the log replays from the least durable one.
/// </summary>
public sealed class BroadcastDownstreamTests
{
    [Fact]
    public async Task Batches_ReachEveryDownstream_InLogOrder()
    {
        using var dir = new TempDirectory();
        var a = new RecordingDownstream();
        var b = new RecordingDownstream();
        var c = new RecordingDownstream();
        var service = await IngestService.StartAsync(Options(dir.Path), new SignalDecoder(new IngestOptions()), downstream: new BroadcastDownstream(a, b, c));
        await using (service)
        {
            for (var i = 0; i < 20; i++)
            {
                await service.AcceptAsync(IngestSignal.Traces, "http", PayloadFormat.Json, Spans(i), CancellationToken.None);
            }

            await WaitAsync(() => a.RequestLsns.Count >= 20 && b.RequestLsns.Count >= 20 && c.RequestLsns.Count >= 20);
        }

        // Heartbeats repeat the last position with no signals; the requests themselves come once each, in order.
        Assert.Equal(a.RequestLsns, b.RequestLsns);
        Assert.Equal(a.RequestLsns, c.RequestLsns);
        Assert.Equal(20, a.RequestLsns.Count);
        Assert.Equal(a.RequestLsns.Order(), a.RequestLsns);
        Assert.Equal(20, c.Signals);
    }

    [Fact]
    public void DurableLsn_IsTheSmallest_AndDurabilityRequestsReachAll()
    {
        var a = new RecordingDownstream { Durable = 17 };
        var b = new RecordingDownstream { Durable = 4 };
        var broadcast = new BroadcastDownstream(a, b);

        Assert.Equal(4, broadcast.DurableLsn);
        b.Durable = -1;
        Assert.Equal(-1, broadcast.DurableLsn);

        broadcast.RequestDurability();
        Assert.Equal(1, a.DurabilityRequests);
        Assert.Equal(1, b.DurabilityRequests);
    }

    [Fact]
    public async Task Restart_ReplaysFromTheLeastDurableDownstream()
    {
        using var dir = new TempDirectory();
        var lsns = new List<long>();
        var first = new RecordingDownstream();
        var service = await IngestService.StartAsync(Options(dir.Path), new SignalDecoder(new IngestOptions()), downstream: new BroadcastDownstream(first, new RecordingDownstream()));
        await using (service)
        {
            for (var i = 0; i < 6; i++)
            {
                await service.AcceptAsync(IngestSignal.Traces, "http", PayloadFormat.Json, Spans(i), CancellationToken.None);
            }

            await WaitAsync(() => first.RequestLsns.Count >= 6);
            lsns.AddRange(first.RequestLsns);
        }

        // One downstream has everything durable, the other only the first two requests: the log replays the rest to both.
        var ahead = new RecordingDownstream { Durable = lsns[^1] };
        var behind = new RecordingDownstream { Durable = lsns[1] };
        var restarted = await IngestService.StartAsync(Options(dir.Path), new SignalDecoder(new IngestOptions()), downstream: new BroadcastDownstream(ahead, behind));
        await using (restarted)
        {
            await WaitAsync(() => behind.RequestLsns.Count >= 4);
            Assert.Equal(lsns[2..], behind.RequestLsns);
            Assert.Equal(lsns[2..], ahead.RequestLsns);
        }
    }

    [Fact]
    public void Constructor_NoDownstream_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new BroadcastDownstream());
        Assert.Contains("at least one downstream", e.Message, StringComparison.Ordinal);
    }

    private static IngestOptions Options(string directory) => new() { DataDirectory = directory, WalFsync = false };

    private static ReadOnlyMemory<byte> Spans(int i)
    {
        var start = (1_700_000_000_000_000_000L + (i * 1_000_000_000L)).ToString(CultureInfo.InvariantCulture);
        var end = (1_700_000_000_000_000_000L + (i * 1_000_000_000L) + 5_000_000).ToString(CultureInfo.InvariantCulture);
        var spanId = (i + 1).ToString("x16", CultureInfo.InvariantCulture);
        var json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"broadcast\"}}]},"
            + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"" + spanId + "\","
            + "\"name\":\"GET /\",\"kind\":2,\"startTimeUnixNano\":\"" + start + "\",\"endTimeUnixNano\":\"" + end + "\"}]}]}]}";
        return Encoding.UTF8.GetBytes(json);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(20);
        }
    }

    /// <summary>A downstream that records what reaches it; its durable position is whatever the test sets.</summary>
    private sealed class RecordingDownstream : IIngestDownstream
    {
        private readonly Lock _gate = new();
        private readonly List<long> _lsns = [];
        private readonly List<long> _requestLsns = [];
        private int _signals;

        public long Durable { get; set; } = -1;

        public int DurabilityRequests { get; private set; }

        public long DurableLsn => Durable;

        public int Signals
        {
            get
            {
                lock (_gate)
                {
                    return _signals;
                }
            }
        }

        public List<long> Lsns
        {
            get
            {
                lock (_gate)
                {
                    return [.. _lsns];
                }
            }
        }

        /// <summary>Positions of batches that carried signals (heartbeats left out).</summary>
        public List<long> RequestLsns
        {
            get
            {
                lock (_gate)
                {
                    return [.. _requestLsns];
                }
            }
        }

        public Sink<IngestBatch, Task> CreateSink() => Sink.ForEachBatch<IngestBatch>((batches, _) =>
        {
            lock (_gate)
            {
                foreach (var batch in batches.Span)
                {
                    _lsns.Add(batch.Lsn);
                    if (batch.Signals.Count > 0)
                    {
                        _requestLsns.Add(batch.Lsn);
                        _signals += batch.Signals.Count;
                    }
                }
            }

            return ValueTask.CompletedTask;
        });

        public void RequestDurability() => DurabilityRequests++;
    }
}
