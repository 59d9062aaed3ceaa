using System.Threading.Channels;
using Autopilot.Pipeline.Stages;

namespace Autopilot.Pipeline;

/// <summary>Factories for sources.</summary>
public static class Source
{
    /// <summary>Emits the elements of a sequence, then completes. Stops early on shutdown.</summary>
    public static Source<T> From<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new Source<T>(SourceDrivers.FromEnumerable(items));
    }

    /// <summary>Emits <paramref name="count"/> consecutive integers from <paramref name="start"/>, without an enumerator.</summary>
    public static Source<long> Range(long start, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new Source<long>(SourceDrivers.Range(start, count));
    }

    /// <summary>Emits what a channel yields; completes (or fails) when the channel does. Shutdown stops reading.</summary>
    public static Source<T> FromChannel<T>(ChannelReader<T> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new Source<T>(SourceDrivers.FromChannel(reader, drainOnShutdown: false));
    }

    /// <summary>Emits what an async sequence yields; completes or fails with it. Shutdown cancels the enumeration.</summary>
    public static Source<T> FromAsyncEnumerable<T>(IAsyncEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new Source<T>(SourceDrivers.FromAsyncEnumerable(items));
    }

    /// <summary>
    /// Emits what is offered to <paramref name="queue"/>; completes when the queue is completed. On
    /// shutdown the queue is completed and what it already holds is still emitted (graceful drain).
    /// </summary>
    public static Source<T> FromQueue<T>(SourceQueue<T> queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var read = SourceDrivers.FromChannel(queue.Reader, drainOnShutdown: true);
        return new Source<T>((context, downstream) =>
        {
            queue.Attach();
            context.OnShutdown(queue.Complete);
            read(context, downstream);
        });
    }

    /// <summary>One element, then completion.</summary>
    public static Source<T> Single<T>(T item) => From([item]);

    /// <summary>Completes at once.</summary>
    public static Source<T> Empty<T>() => From(Array.Empty<T>());

    /// <summary>Fails at once with <paramref name="error"/>.</summary>
    public static Source<T> Failed<T>(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new Source<T>((context, _) => context.AddDriver(() => Task.FromException(error)));
    }

    /// <summary>
    /// Merges sources: each runs on its own task into one bounded buffer of <paramref name="capacity"/>
    /// elements; completes when all have completed, fails when any fails. Order is kept per source.
    /// </summary>
    public static Source<T> Merge<T>(int? capacity, params Source<T>[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Length == 0)
        {
            throw new ArgumentException("Merge needs at least one source.", nameof(sources));
        }

        return new Source<T>((context, downstream) =>
        {
            var hub = new AsyncBoundary<T>(context, downstream, capacity ?? context.Settings.DefaultBufferCapacity, OverflowStrategy.Backpressure, sources.Length, "merge");
            foreach (var source in sources)
            {
                source.Attach(context, hub.CreateWriter());
            }
        });
    }
}
