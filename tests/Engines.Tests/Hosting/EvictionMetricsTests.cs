using System.Diagnostics.Metrics;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Tests.Hosting;

/// <summary>
/// An engine that evicts state to stay within its cap says so in <c>autopilot.engines.evictions</c> (by engine), and one
/// that stops tracking new series past its cap counts the signals it left unjudged in <c>autopilot.engines.untracked</c>,
/// so an operator sees a cap too small for the traffic instead of detection that silently never warms up. The counters
/// are process-wide, so these tests run alone (<see cref="EvictionMetricsCollection"/>).
/// </summary>
[Collection(EvictionMetricsCollection.Name)]
public sealed class EvictionMetricsTests
{
    private const long Minute = 60_000_000_000L;

    [Fact]
    public void LogServicesOverTheCap_EachEvictionCountedOnceForItsEngine()
    {
        var options = new EngineOptions { Shards = 1 };
        options.Anomaly.Logs.MaxServices = 2;

        // Five services in turn, three rounds: with room for two, every line after the first two evicts one (13).
        var signals = new List<Signal>();
        for (var i = 0; i < 15; i++)
        {
            signals.Add(Log($"urn:autopilot:service:default:svc-{i % 5}", (i + 1) * Minute));
        }

        var counted = Measure(options, [.. signals]);
        Assert.Equal(13, counted.GetValueOrDefault("anomaly.logs"));
        Assert.Equal(["anomaly.logs"], counted.Keys);
    }

    [Fact]
    public void ServicesWithinTheCap_NothingCounted()
    {
        var options = new EngineOptions { Shards = 1 };
        options.Anomaly.Logs.MaxServices = 5;
        var signals = Enumerable.Range(0, 15).Select(i => Log($"urn:autopilot:service:default:svc-{i % 5}", (i + 1) * Minute)).ToArray();

        Assert.Empty(Measure(options, signals));
    }

    [Fact]
    public void VolumeUrnsOverTheCap_CountedForVolume()
    {
        var options = new EngineOptions { Shards = 1 };
        options.Volume.MaxUrns = 3;
        options.Anomaly.Logs.MaxServices = 100;

        // Four URNs in turn, twice: each line of a URN that fell out evicts the least recently seen one (5 of 8).
        var signals = Enumerable.Range(0, 8).Select(i => Log($"urn:autopilot:service:default:vol-{i % 4}", (i + 1) * Minute)).ToArray();

        var counted = Measure(options, signals);
        Assert.Equal(5, counted.GetValueOrDefault("volume"));
        Assert.False(counted.ContainsKey("anomaly.logs"));
    }

    [Fact]
    public void DriftSeriesPastItsCap_SignalsCountedAsUntracked()
    {
        var options = new EngineOptions { Shards = 1 };
        options.Drift.MaxSeries = 1;

        // Three metric series in turn, twice: the first is tracked, the other two's four signals are not.
        var signals = Enumerable.Range(0, 6).Select(i => new Signal(SignalKind.Metric, $"urn:autopilot:service:default:m-{i % 3}", (i + 1) * Minute,
            TraceId.Empty, 0, null, "queue.depth", i, SignalStatus.Unset, 0, SignalAttributes.Empty)).ToArray();

        var counted = Measure(options, signals, "autopilot.engines.untracked");
        Assert.Equal(4, counted.GetValueOrDefault("drift"));
        Assert.Equal(["drift"], counted.Keys);
    }

    [Fact]
    public void DuplicateIdsPastTheUrnCap_SignalsCountedAsUntrackedForDq()
    {
        var options = new EngineOptions { Shards = 1 };
        options.DataQuality.MaxTrackedUrns = 1;
        var signals = Enumerable.Range(0, 6).Select(i => new Signal(SignalKind.Span, $"urn:autopilot:service:default:d-{i % 3}", (i + 1) * Minute,
            TraceId.Empty, (ulong)i + 1, null, "GET /", 5, SignalStatus.Ok, 200, SignalAttributes.Empty)).ToArray();

        var counted = Measure(options, signals, "autopilot.engines.untracked");
        Assert.Equal(4, counted.GetValueOrDefault("dq"));
        Assert.Equal(["dq"], counted.Keys);
        Assert.Empty(Measure(options, signals[..1], "autopilot.engines.untracked"));
    }

    private static Signal Log(string urn, long time) =>
        new(SignalKind.Log, urn, time, TraceId.Empty, 0, null, "order <*> accepted", 1, SignalStatus.Unset, 9, SignalAttributes.Empty);

    /// <summary>Runs <paramref name="signals"/> through a real shard (one batch each, so a watermark follows every signal) and sums the counter by engine.</summary>
    private static Dictionary<string, long> Measure(EngineOptions options, Signal[] signals, string instrumentName = "autopilot.engines.evictions")
    {
        var counted = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Autopilot.Engines" && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "engine")
                {
                    var engine = (string)tag.Value!;
                    counted[engine] = counted.GetValueOrDefault(engine) + value;
                }
            }
        });
        listener.Start();

        using var run = new ShardRun(options);
        for (var i = 0; i < signals.Length; i++)
        {
            run.Process([signals[i]], 0, 1);
        }

        run.Complete();
        return counted;
    }
}

/// <summary>Runs its tests alone: the eviction counter is process-wide and other tests' shards evict too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EvictionMetricsCollection
{
    public const string Name = "eviction metrics";
}
