using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Hosting;

/// <summary>
/// One engine in one shard. A shard hosts an instance of every engine for the URNs hashed to it and calls
/// it from one task only, so an engine needs no locks. Engines run on event time: windows close when the
/// watermark passes them, never by the wall clock, so recorded data replays to the same findings.
/// </summary>
public abstract class Engine
{
    /// <summary>Short name: freshness, volume, drift, dq, anomaly, contract. Also the snapshot section name.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Whether this engine reads signals of <paramref name="kind"/> at all. The shard asks once per kind when it starts
    /// and hands the engine only those kinds, so an engine costs nothing for the kinds it ignores (a virtual call and
    /// its early return per signal, for every engine). True for every kind unless the engine narrows it; an engine must
    /// still ignore other kinds in <see cref="OnSignal"/>, since tests and tools may call it directly.
    /// </summary>
    public virtual bool Handles(SignalKind kind) => true;

    /// <summary>
    /// State entries (series, services, URNs, rule states) this instance has evicted so far to stay within its caps; 0 for
    /// an engine without one. A count that keeps rising means the cap is too small for the traffic: an evicted entry
    /// re-learns from nothing when it comes back, so its detection never warms up. The shard reads it at each watermark
    /// and adds what is new to <c>autopilot_engines_evictions_total{engine}</c>; it restarts at 0 with the process.
    /// </summary>
    public virtual long Evictions => 0;

    /// <summary>
    /// Signals this instance left unjudged (or judged in part) because a cap on what it tracks was reached and it does
    /// not evict: a new series, operation, dataset or URN past the cap is not tracked. 0 for an engine without such a cap.
    /// Read like <see cref="Evictions"/> and added to <c>autopilot_engines_untracked_total{engine}</c>.
    /// </summary>
    public virtual long Untracked => 0;

    /// <summary>Handles one signal of this shard.</summary>
    public abstract void OnSignal(in Signal signal, EngineContext context);

    /// <summary>The shard's watermark advanced: close windows, check staleness.</summary>
    public virtual void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
    }

    /// <summary>Writes the engine's learned state (baselines, windows) for a snapshot.</summary>
    public abstract void WriteState(BinaryWriter writer);

    /// <summary>Restores state written by <see cref="WriteState"/>; called before any signal.</summary>
    public abstract void ReadState(BinaryReader reader);
}
