namespace Autopilot.Pipeline.Partitioning;

/// <summary>
/// The per-partition state and logic of a <c>PartitionBy</c> stage. One instance per partition, called
/// from that partition's task only, so it needs no locks. A <see cref="Directive.Restart"/> replaces the
/// instance with a fresh one from the factory.
/// </summary>
public abstract class PartitionProcessor<TIn, TOut>
{
    /// <summary>Handles one element; elements of a partition arrive in the order they entered the stage.</summary>
    public abstract void Process(in TIn element, PartitionContext<TOut> context);

    /// <summary>An event-time timer registered with <see cref="PartitionContext{TOut}.RegisterEventTimer"/> is due.</summary>
    public virtual void OnEventTimer(long time, long tag, PartitionContext<TOut> context)
    {
    }

    /// <summary>The partition's watermark advanced: no element with an earlier event time is expected.</summary>
    public virtual void OnWatermark(long watermark, PartitionContext<TOut> context)
    {
    }

    /// <summary>A processing-time tick (see <see cref="PartitionOptions.TickInterval"/>).</summary>
    public virtual void OnTick(DateTimeOffset now, PartitionContext<TOut> context)
    {
    }

    /// <summary>Upstream completed: emit what is held.</summary>
    public virtual void OnComplete(PartitionContext<TOut> context)
    {
    }
}
