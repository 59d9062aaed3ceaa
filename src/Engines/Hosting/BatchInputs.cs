using System.Collections;
using Autopilot.Ingest.Receivers;

namespace Autopilot.Engines.Hosting;

/// <summary>
/// A batch's signals as engine inputs, followed by <see cref="BarrierShards"/> barriers (one per shard), made on read.
/// The pipeline's select-many stage reads lists by index, so a 1000-span request no longer needs a ~115 KB array of
/// inputs (a large-object-heap allocation per request) just to be flattened into the partition stage.
/// </summary>
internal sealed class BatchInputs(IngestBatch batch, int barrierShards) : IReadOnlyList<EngineInput>
{
    public int BarrierShards { get; } = barrierShards;

    public int Count => batch.Signals.Count + BarrierShards;

    public EngineInput this[int index]
    {
        get
        {
            var signals = batch.Signals.Count;
            if ((uint)index < (uint)signals)
            {
                return new EngineInput(batch.Lsn, batch.Signals[index]);
            }

            if ((uint)(index - signals) < (uint)BarrierShards)
            {
                return new EngineInput(batch.Lsn, default, index - signals);
            }

            throw new ArgumentOutOfRangeException(nameof(index), index, "index is outside the batch's inputs");
        }
    }

    public IEnumerator<EngineInput> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
