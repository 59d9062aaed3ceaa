using System.Diagnostics.Metrics;
using Autopilot.Ingest.Wal;

namespace Autopilot.Ingest.Tests.Wal;

/// <summary>Golden bytes for the on-disk format (computed independently of this code), and the log's metrics.</summary>
public sealed class WalFormatTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AppendAsync_ThreeRecords_WritesGoldenSegmentAndCheckpointBytes()
    {
        await using (var wal = await WriteAheadLog.OpenAsync(new WalOptions { Directory = _dir.Path, FsyncEnabled = false }))
        {
            await wal.AppendAsync("abc"u8.ToArray(), 1);
            await wal.AppendAsync(Array.Empty<byte>(), 2);
            await wal.AppendAsync(Enumerable.Range(0, 10).Select(i => (byte)i).ToArray(), 255);
            await wal.CheckpointAsync(1);
        }

        // [u32 length][u32 CRC-32C(type + payload)][u8 type][payload], little-endian.
        Assert.Equal(
            "03000000" + "b27d0dc3" + "01" + "616263"
            + "00000000" + "a62346b3" + "02"
            + "0a000000" + "7e1c3d7f" + "ff" + "00010203040506070809",
            Convert.ToHexStringLower(await File.ReadAllBytesAsync(Path.Combine(_dir.Path, "00000000000000000000.wal"))));

        // [i64 LSN][u32 CRC-32C of those 8 bytes]
        Assert.Equal(
            "0100000000000000" + "adcf14c5",
            Convert.ToHexStringLower(await File.ReadAllBytesAsync(Path.Combine(_dir.Path, "checkpoint"))));
    }

    [Fact]
    public async Task Metrics_AppendsAndRefusals_AreReportedOnTheWalMeter()
    {
        using var factory = new TestMeterFactory();
        var measurements = new List<(string Name, double Value, string? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i.Name, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i.Name, v, tags));
        listener.Start();

        await using (var wal = await WriteAheadLog.OpenAsync(new WalOptions { Directory = _dir.Path, MaxPendingBytes = 1024 }, meterFactory: factory))
        {
            await wal.AppendAsync(new byte[100], 1);
            await wal.AppendAsync(new byte[100], 1);
            using var gate = new ManualResetEventSlim(false);
            wal.WriterGate = gate;
            var queued = wal.AppendAsync(new byte[900], 1).AsTask();
            await Assert.ThrowsAsync<WalOverloadedException>(() => wal.AppendAsync(new byte[900], 1).AsTask());
            gate.Set();
            await queued;
            listener.RecordObservableInstruments();
        }

        lock (measurements)
        {
            Assert.Equal(3, measurements.Where(m => m.Name == "autopilot.wal.appends").Sum(m => m.Value));
            Assert.Equal(3 * 9 + 1100, measurements.Where(m => m.Name == "autopilot.wal.appended_bytes").Sum(m => m.Value));
            Assert.Equal(3, measurements.Count(m => m.Name == "autopilot.wal.fsyncs"));
            Assert.Equal(3, measurements.Where(m => m.Name == "autopilot.wal.group_size").Sum(m => m.Value));
            Assert.Equal(("autopilot.wal.refused", 1.0, "overloaded"), measurements.Single(m => m.Name == "autopilot.wal.refused"));
            Assert.Equal(3 * 9 + 1100, measurements.Single(m => m.Name == "autopilot.wal.bytes").Value);
        }

        void Record(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    reason = tag.Value as string;
                }
            }

            lock (measurements)
            {
                measurements.Add((name, value, reason));
            }
        }
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
