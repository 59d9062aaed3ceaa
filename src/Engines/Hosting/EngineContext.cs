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

    // While the shard runs its engines one after the other over a run of signals (EngineShard.ProcessRange): the run's
    // inputs, each signal's slot resolved once, the signal and engine being called, and the findings held back so they
    // leave in the order a signal-by-signal run emits them.
    private EngineInput[]? _runItems;
    private int _runStart;
    private int[] _runSlots = [];
    private int _runSignal;
    private int _runEngine;
    private readonly List<HeldFinding> _held = [];

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
        if (_runItems is not null)
        {
            _held.Add(new HeldFinding(_runSignal, _runEngine, _held.Count, finding));
        }
        else
        {
            Deliver(finding);
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
        if (_runItems is { } items && ReferenceEquals(urn, items[_runStart + _runSignal].Signal.Urn))
        {
            return _runSlots[_runSignal];
        }

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

    /// <summary>
    /// Starts a run over <paramref name="items"/>[<paramref name="start"/>..<paramref name="end"/>) (signals only): resolves
    /// each signal's slot once, for every engine that will ask, and holds findings back until <see cref="EndRun"/>.
    /// </summary>
    internal void BeginRun(EngineInput[] items, int start, int end)
    {
        var n = end - start;
        if (_runSlots.Length < n)
        {
            _runSlots = new int[Math.Max(n, _runSlots.Length * 2)];
        }

        var slots = _runSlots;
        for (var i = 0; i < n; i++)
        {
            slots[i] = SlotOf(items[start + i].Signal.Urn);
        }

        _runStart = start;
        _runSignal = 0;
        _runEngine = 0;
        _runItems = items;
    }

    /// <summary>The engine (index in the shard) the run calls next, for every signal until the next call.</summary>
    internal void SetRunEngine(int engine) => _runEngine = engine;

    /// <summary>The run's signal (index from the run's start) about to be handed to the engine.</summary>
    internal void SetRunSignal(int signal) => _runSignal = signal;

    /// <summary>Ends the run: the held findings go on ordered by signal, then engine, then emission, as signal by signal.</summary>
    internal void EndRun()
    {
        _runItems = null;
        if (_held.Count == 0)
        {
            return;
        }

        if (_held.Count > 1)
        {
            _held.Sort(static (a, b) => a.Signal != b.Signal ? a.Signal.CompareTo(b.Signal)
                : a.Engine != b.Engine ? a.Engine.CompareTo(b.Engine) : a.Sequence.CompareTo(b.Sequence));
        }

        foreach (var held in _held)
        {
            Deliver(held.Finding);
        }

        _held.Clear();
    }

    /// <summary>On to the partition's output, or into <see cref="Captured"/> when detached.</summary>
    private void Deliver(Finding finding)
    {
        if (_partition is not null)
        {
            _partition.Emit(finding);
        }
        else
        {
            Captured.Add(finding);
        }
    }

    private readonly record struct HeldFinding(int Signal, int Engine, int Sequence, Finding Finding);
}
