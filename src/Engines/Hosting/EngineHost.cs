using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Events;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Ingest.Receivers;
using Autopilot.Pipeline;
using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Engines.Hosting;

/// <summary>
/// Runs the engines downstream of ingest: accepted requests → their signals → partitioned by URN into
/// <see cref="EngineOptions.Shards"/> shards (each hosting every engine, on event time) → findings →
/// <see cref="IncidentCorrelator"/>. Every <see cref="EngineOptions.BarrierInterval"/> a barrier with the
/// current log position is sent to each shard; a shard that snapshots at a barrier knows its state covers
/// everything up to it, so <see cref="DurableLsn"/> (the smallest across shards) is where replay may start.
/// </summary>
public sealed class EngineHost : IIngestDownstream
{
    private readonly Func<int, EngineOptions, IReadOnlyList<Engine>> _engineFactory;
    private readonly long[] _durable;
    private readonly string[] _barrierKeys;
    private long _lastBarrierTimestamp;
    private long _maxLsnEntered = -1;
    private long _durabilityRequests;

    // Now + MaxFutureSkew as last read, in Unix nanoseconds (EventTimeOf; called by the partition stage's one task).
    private long _futureLimit = long.MinValue;

    public EngineHost(EngineOptions options, IEngineStore store, Func<int, EngineOptions, IReadOnlyList<Engine>> engineFactory, IEventSink? events = null, IAssetRelations? relations = null, TimeProvider? time = null, ISuspectRanker? ranker = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(engineFactory);
        options.Validate();
        Options = options;
        Store = store;
        Time = time ?? TimeProvider.System;
        _engineFactory = engineFactory;
        _durable = new long[options.Shards];
        Array.Fill(_durable, -1);
        _barrierKeys = BarrierKeys(options.Shards);
        _lastBarrierTimestamp = Time.GetTimestamp();
        Correlator = new IncidentCorrelator(options, store, events, relations, ranker);
    }

    public EngineOptions Options { get; }

    public IEngineStore Store { get; }

    public TimeProvider Time { get; }

    public IncidentCorrelator Correlator { get; }

    /// <summary>The latest burn rates of every SLO target (all shards).</summary>
    public SloStatusBoard SloStatus { get; } = new();

    /// <summary>Largest log position that every shard's snapshot covers; -1 until each shard has one.</summary>
    public long DurableLsn
    {
        get
        {
            lock (_durable)
            {
                return _durable.Min();
            }
        }
    }

    /// <summary>Largest log position whose signals have entered the shards.</summary>
    public long MaxLsnEntered => Interlocked.Read(ref _maxLsnEntered);

    public Sink<IngestBatch, Task> CreateSink()
    {
        var lateness = Options.AllowedLateness.Ticks * 100;
        return Flow.Create<IngestBatch>()
            .SelectMany(ToInputs)
            .Async()
            .Named("engines-in")
            .PartitionBy(Options.Shards, KeyOf, p => new EngineShard(this, p), EventTimeOf, new PartitionOptions { AllowedLateness = lateness })
            .Named("engines-findings")
            .To(Sink.ForEachBatch<Finding>(Correlator.OnFindingsAsync));
    }

    /// <summary>Counts requests for durability; a shard that has not snapshotted since the latest one does so at its next barrier.</summary>
    internal long DurabilityRequests => Interlocked.Read(ref _durabilityRequests);

    public void RequestDurability() => Interlocked.Increment(ref _durabilityRequests);

    internal IReadOnlyList<Engine> CreateEngines(int shard) => _engineFactory(shard, Options);

    internal void ReportDurable(int shard, long lsn)
    {
        lock (_durable)
        {
            _durable[shard] = Math.Max(_durable[shard], lsn);
        }
    }

    private BatchInputs ToInputs(IngestBatch batch)
    {
        var barrier = Time.GetElapsedTime(_lastBarrierTimestamp) >= Options.BarrierInterval;
        if (barrier)
        {
            _lastBarrierTimestamp = Time.GetTimestamp();
        }

        Interlocked.Exchange(ref _maxLsnEntered, batch.Lsn);
        return new BatchInputs(batch, barrier ? Options.Shards : 0);
    }

    private string KeyOf(EngineInput input) => input.IsBarrier ? _barrierKeys[input.BarrierShard] : input.Signal.Urn;

    internal long EventTimeOf(EngineInput input)
    {
        if (input.IsBarrier || input.Signal.TimeUnixNano <= 0)
        {
            return long.MinValue;
        }

        // A clock far in the future would close every window at once: clamp it to now + skew. The limit only grows with
        // the clock, so a time within the last one read is within the current one too: the clock (a system call's worth,
        // per signal) is read again only for a time past it.
        var time = input.Signal.TimeUnixNano;
        if (time <= _futureLimit)
        {
            return time;
        }

        _futureLimit = (Time.GetUtcNow() + Options.MaxFutureSkew).ToUnixTimeMilliseconds() * 1_000_000;
        return Math.Min(time, _futureLimit);
    }

    /// <summary>For each shard, a key that the partitioner sends to it, so a barrier can be addressed to one shard.</summary>
    private static string[] BarrierKeys(int shards)
    {
        var keys = new string[shards];
        var found = 0;
        for (var i = 0; found < shards; i++)
        {
            var key = "barrier/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var shard = PartitionHash.Bucket(PartitionHash.Hash(key), shards);
            if (keys[shard] is null)
            {
                keys[shard] = key;
                found++;
            }
        }

        return keys;
    }
}
