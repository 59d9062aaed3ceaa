using System.Diagnostics.Metrics;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Tests.Hosting;

/// <summary>
/// An engine that evicts state to stay within its cap says so in <c>autopilot.engines.evictions</c> (by engine), so an
/// operator sees a cap too small for the traffic instead of detection that silently never warms up. The counter is
/// process-wide, so these tests run alone (<see cref="EvictionMetricsCollection"/>).
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

    private static Signal Log(string urn, long time) =>
        new(SignalKind.Log, urn, time, TraceId.Empty, 0, null, "order <*> accepted", 1, SignalStatus.Unset, 9, SignalAttributes.Empty);

    /// <summary>Runs <paramref name="signals"/> through a real shard (one batch each, so a watermark follows every signal) and sums the counter by engine.</summary>
    private static Dictionary<string, long> Measure(EngineOptions options, Signal[] signals)
    {
        var counted = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Autopilot.Engines" && instrument.Name == "autopilot.engines.evictions")
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
