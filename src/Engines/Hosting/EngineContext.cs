using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Findings;
using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Engines.Hosting;

/// <summary>What an engine can see and do: the shard, the watermark, the options, and emitting findings.</summary>
public sealed class EngineContext
{
    private PartitionContext<Finding>? _partition;
    private long _detachedWatermark = long.MinValue;
    private readonly UrnSlots _slots = new();
    private string? _lastUrn;
    private int _lastSlot = -1;

    internal EngineContext(EngineOptions options, int shard)
    {
        Options = options;
        Shard = shard;
    }

    public EngineOptions Options { get; }

    public int Shard { get; }

    /// <summary>Where SLO engines publish where each target stands; null when nobody reads it.</summary>
    public SloStatusBoard? SloStatus { get; init; }

    /// <summary>Event-time watermark of this shard in Unix nanoseconds; long.MinValue before the first.</summary>
    public long Watermark => _partition?.Watermark ?? _detachedWatermark;

    /// <summary>Moves the watermark of a detached context (tests); a running shard's comes from the stream.</summary>
    public void SetDetachedWatermark(long watermarkUnixNano)
    {
        if (_partition is not null)
        {
            throw new InvalidOperationException("The watermark of a running shard comes from the stream.");
        }

        _detachedWatermark = watermarkUnixNano;
    }

    /// <summary>Findings emitted so far by this context (for tests that drive engines directly).</summary>
    public int Emitted { get; private set; }

    /// <summary>Sends a finding on to the incident correlator.</summary>
    public void Emit(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        Emitted++;
        if (_partition is not null)
        {
            _partition.Emit(finding);
        }
        else
        {
            Captured.Add(finding);
        }
    }

    /// <summary>Findings emitted while not attached to a running shard (engines driven directly by tests).</summary>
    public List<Finding> Captured { get; } = [];

    /// <summary>A context outside any graph, for driving an engine directly.</summary>
    public static EngineContext Detached(EngineOptions? options = null, int shard = 0, SloStatusBoard? sloStatus = null) =>
        new(options ?? new EngineOptions(), shard) { SloStatus = sloStatus };

    /// <summary>
    /// The shard's slot of <paramref name="urn"/> (-1 for none), for <see cref="UrnCache{T}"/>: the engines of a shard
    /// all ask for the same signal's URN in turn, so the first resolves it and the others compare one reference.
    /// </summary>
    internal int SlotOf(string? urn)
    {
        if (ReferenceEquals(urn, _lastUrn))
        {
            return _lastSlot;
        }

        if (urn is null)
        {
            return -1;
        }

        _lastSlot = _slots.SlotOf(urn);
        _lastUrn = urn;
        return _lastSlot;
    }

    // Called per signal with the same partition context: comparing first skips a reference store (and its GC write
    // barrier) on every signal.
    internal void Attach(PartitionContext<Finding> partition)
    {
        if (!ReferenceEquals(_partition, partition))
        {
            _partition = partition;
        }
    }
}
