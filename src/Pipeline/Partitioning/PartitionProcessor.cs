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

    /// <summary>
    /// Handles <paramref name="items"/>[<paramref name="index"/>..<paramref name="count"/>) in order and
    /// leaves <paramref name="index"/> on the element that threw, so the caller can supervise it and go on.
    /// Built-in processors override it to keep their state in a local for the whole batch instead of a
    /// virtual call and a field write per element.
    /// </summary>
    internal virtual void ProcessRange(TIn[] items, ref int index, int count, PartitionContext<TOut> context)
    {
        for (; index < count; index++)
        {
            Process(in items[index], context);
        }
    }

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
