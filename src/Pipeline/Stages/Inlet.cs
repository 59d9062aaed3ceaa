namespace Autopilot.Pipeline.Stages;

/// <summary>
/// The receiving side of a stage. Within a segment (the run of stages between two async boundaries)
/// calls go straight down the chain on the segment's driver task, so a stage never sees two calls at once.
/// </summary>
internal abstract class Inlet<T>
{
    /// <summary>
    /// Receives a batch. The memory is only valid until the returned task completes: a stage that
    /// keeps elements copies them. Throwing fails the segment's driver and with it the graph.
    /// </summary>
    public abstract ValueTask OnNextAsync(ReadOnlyMemory<T> batch);

    /// <summary>A processing-time tick from the segment's driver; stages forward it downstream.</summary>
    public abstract ValueTask OnTickAsync(DateTimeOffset now);

    /// <summary>Upstream finished without error: flush what is held and forward.</summary>
    public abstract ValueTask OnCompleteAsync();
}
