namespace Autopilot.Pipeline;

/// <summary>Settings a graph is run with. Every default lives here.</summary>
public sealed class PipelineSettings
{
    public static readonly PipelineSettings Default = new();

    /// <summary>Largest batch a stage emits and an async boundary carries. Default 512.</summary>
    public int MaxBatchSize { get; init; } = 512;

    /// <summary>Capacity in elements of <c>Async()</c> boundaries and partition inboxes when none is given. Default 4096.</summary>
    public int DefaultBufferCapacity { get; init; } = 4096;

    /// <summary>Clock for timers, grouped-within, throttle and processing-time ticks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Decider for stages that were given none. Default stops the stream.</summary>
    public Decider Decider { get; init; } = Deciders.Stopping;

    /// <summary>Name of the graph, the <c>graph</c> tag of its metrics.</summary>
    public string Name { get; init; } = "graph";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxBatchSize < 1)
        {
            throw new ArgumentException($"MaxBatchSize must be at least 1, got {MaxBatchSize}.");
        }

        if (DefaultBufferCapacity < 1)
        {
            throw new ArgumentException($"DefaultBufferCapacity must be at least 1, got {DefaultBufferCapacity}.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(Decider);
    }
}
