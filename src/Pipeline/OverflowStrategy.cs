namespace Autopilot.Pipeline;

/// <summary>What a bounded buffer does when it is full.</summary>
public enum OverflowStrategy
{
    /// <summary>The producer waits until there is room (no loss).</summary>
    Backpressure,

    /// <summary>The incoming elements are dropped and counted with reason <c>buffer_full</c>.</summary>
    DropNewest,

    /// <summary>The oldest buffered batch is evicted to make room, its elements counted as dropped.</summary>
    DropOldest,

    /// <summary>The stream fails with <see cref="BufferOverflowException"/>.</summary>
    Fail,
}
