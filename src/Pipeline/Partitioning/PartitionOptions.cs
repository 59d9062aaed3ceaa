namespace Autopilot.Pipeline.Partitioning;

/// <summary>How a partitioned stage buffers, keeps event time and ticks.</summary>
public sealed class PartitionOptions
{
    /// <summary>Capacity of each partition's inbox, in elements. Null: the graph's default buffer capacity.</summary>
    public int? BufferCapacity { get; init; }

    /// <summary>What an inbox does when full. Default <see cref="OverflowStrategy.Backpressure"/>.</summary>
    public OverflowStrategy Overflow { get; init; } = OverflowStrategy.Backpressure;

    /// <summary>
    /// How far behind the largest event time seen the watermark stays, in the event-time unit (for
    /// Unix nanoseconds, 5 s is 5_000_000_000). Default 0: events are assumed in order.
    /// </summary>
    public long AllowedLateness { get; init; }

    /// <summary>Processing-time tick interval for <see cref="PartitionProcessor{TIn, TOut}.OnTick"/>; null for none.</summary>
    public TimeSpan? TickInterval { get; init; }

    internal void Validate()
    {
        if (BufferCapacity is < 1)
        {
            throw new ArgumentException($"BufferCapacity must be at least 1, got {BufferCapacity}.");
        }

        if (AllowedLateness < 0)
        {
            throw new ArgumentException($"AllowedLateness must not be negative, got {AllowedLateness}.");
        }

        if (TickInterval is { } tick && tick <= TimeSpan.Zero)
        {
            throw new ArgumentException($"TickInterval must be positive, got {tick}.");
        }
    }
}
