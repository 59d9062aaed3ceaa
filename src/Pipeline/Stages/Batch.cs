namespace Autopilot.Pipeline.Stages;

/// <summary>A pooled, fixed-capacity run of elements: what crosses an async boundary.</summary>
internal sealed class Batch<T>
{
    public Batch(int capacity) => Items = new T[capacity];

    public T[] Items { get; }

    public int Count { get; set; }

    /// <summary>Event-time watermark carried with the batch (partition inboxes only); long.MinValue when none.</summary>
    public long Watermark { get; set; } = long.MinValue;

    public ReadOnlyMemory<T> Memory => Items.AsMemory(0, Count);
}
