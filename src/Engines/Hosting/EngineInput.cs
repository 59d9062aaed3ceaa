using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Hosting;

/// <summary>
/// What a shard receives: a signal with the log position of the request it came in, or a barrier
/// (<see cref="BarrierShard"/> ≥ 0) telling one shard that everything up to <see cref="Lsn"/> has reached it.
/// </summary>
public readonly record struct EngineInput(long Lsn, Signal Signal, int BarrierShard = -1)
{
    public bool IsBarrier => BarrierShard >= 0;
}
