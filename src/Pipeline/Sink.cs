using System.Threading.Channels;
using Autopilot.Pipeline.Stages;

namespace Autopilot.Pipeline;

/// <summary>Factories for sinks. Each materializes a task that completes when the stream does and fails when it fails.</summary>
public static class Sink
{
    /// <summary>Calls <paramref name="action"/> for each element, under the stage's decider.</summary>
    public static Sink<T, Task> ForEach<T>(Action<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new Sink<T, Task>(context =>
        {
            var sink = new AggregateSink<T, bool>(context, false, (acc, item) =>
            {
                action(item);
                return acc;
            }, "for-each");
            return (sink, sink.Result);
        });
    }

    /// <summary>
    /// Hands each batch to <paramref name="onBatch"/>; the memory is valid until the returned task
    /// completes. The fastest sink: no per-element call. An exception fails the graph.
    /// </summary>
    public static Sink<T, Task> ForEachBatch<T>(Func<ReadOnlyMemory<T>, CancellationToken, ValueTask> onBatch)
    {
        ArgumentNullException.ThrowIfNull(onBatch);
        return new Sink<T, Task>(context =>
        {
            var sink = new BatchSink<T>(context, onBatch, null);
            return (sink, sink.Completion);
        });
    }

    /// <summary>
    /// As <see cref="ForEachBatch{T}(Func{ReadOnlyMemory{T}, CancellationToken, ValueTask})"/>, and calls
    /// <paramref name="onComplete"/> once after the last batch when upstream completes (not when the graph
    /// fails or is aborted), before the sink's task completes: the place to flush what the batches built up.
    /// An exception from it fails the graph.
    /// </summary>
    public static Sink<T, Task> ForEachBatch<T>(Func<ReadOnlyMemory<T>, CancellationToken, ValueTask> onBatch, Func<CancellationToken, ValueTask> onComplete)
    {
        ArgumentNullException.ThrowIfNull(onBatch);
        ArgumentNullException.ThrowIfNull(onComplete);
        return new Sink<T, Task>(context =>
        {
            var sink = new BatchSink<T>(context, onBatch, onComplete);
            return (sink, sink.Completion);
        });
    }

    /// <summary>Folds all elements; the task yields the final accumulator.</summary>
    public static Sink<T, Task<TAcc>> Aggregate<T, TAcc>(TAcc seed, Func<TAcc, T, TAcc> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new Sink<T, Task<TAcc>>(context =>
        {
            var sink = new AggregateSink<T, TAcc>(context, seed, step, "aggregate");
            return (sink, sink.Result);
        });
    }

    /// <summary>Collects every element into a list (for tests and small streams).</summary>
    public static Sink<T, Task<IReadOnlyList<T>>> Seq<T>() =>
        new(context =>
        {
            var sink = new AggregateSink<T, List<T>>(context, [], static (list, item) =>
            {
                list.Add(item);
                return list;
            }, "seq");
            return (sink, AsReadOnly(sink.Result));
        });

    /// <summary>Consumes and discards everything.</summary>
    public static Sink<T, Task> Ignore<T>() => ForEachBatch<T>(static (_, _) => ValueTask.CompletedTask);

    /// <summary>Writes every element to <paramref name="writer"/>, waiting when it is full; completes it at the end when <paramref name="complete"/>.</summary>
    public static Sink<T, Task> ToChannel<T>(ChannelWriter<T> writer, bool complete = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return new Sink<T, Task>(context =>
        {
            var sink = new ChannelSink<T>(context, writer, complete);
            return (sink, sink.Completion);
        });
    }

    private static async Task<IReadOnlyList<T>> AsReadOnly<T>(Task<List<T>> list) => await list;
}
