namespace Autopilot.Pipeline;

/// <summary>What happened to an element offered to a <see cref="SourceQueue{T}"/>.</summary>
public enum QueueOfferResult
{
    /// <summary>The element is in the queue and will be processed.</summary>
    Enqueued,

    /// <summary>The queue was full and its strategy dropped this element.</summary>
    Dropped,

    /// <summary>The queue is completed; nothing more is taken.</summary>
    QueueClosed,

    /// <summary>The queue was full with <see cref="OverflowStrategy.Fail"/>: the stream fails.</summary>
    Failure,
}
