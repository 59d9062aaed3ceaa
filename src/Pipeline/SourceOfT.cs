using Autopilot.Pipeline.Partitioning;
using Autopilot.Pipeline.Stages;

namespace Autopilot.Pipeline;

/// <summary>
/// A description of a stream of <typeparamref name="T"/> with one open output. Nothing runs until a
/// graph built from it is <see cref="RunnableGraph{TMat}.Run"/>: a source can be run many times.
/// Stages between async boundaries are fused and run on one task; batches, not single elements, cross
/// boundaries.
/// </summary>
public sealed class Source<T>
{
    internal Source(Action<MaterializationContext, Inlet<T>> attach) => Attach = attach;

    internal Action<MaterializationContext, Inlet<T>> Attach { get; }

    /// <summary>Transforms each element. Emits when the function returns; backpressures when downstream does.</summary>
    public Source<TOut> Select<TOut>(Func<T, TOut> selector) => Link(Links.Select(selector));

    /// <summary>Keeps the elements the predicate accepts. Emits when an element passes; backpressures when downstream does.</summary>
    public Source<T> Where(Func<T, bool> predicate) => Link(Links.Where(predicate));

    /// <summary>Emits every element of the sequence each element maps to (Akka's mapConcat), in order.</summary>
    public Source<TOut> SelectMany<TOut>(Func<T, IEnumerable<TOut>> selector) => Link(Links.SelectMany(selector));

    /// <summary>Emits the running state after each element. A restart of this stage puts <paramref name="seed"/> back.</summary>
    public Source<TState> Scan<TState>(TState seed, Func<TState, T, TState> step) => Link(Links.Scan(seed, step));

    /// <summary>
    /// Emits groups of up to <paramref name="maxCount"/> elements: when a group is full, or when
    /// <paramref name="maxTime"/> has passed since its first element, or on completion. Never emits an empty group.
    /// </summary>
    public Source<T[]> GroupedWithin(int maxCount, TimeSpan maxTime) => Link(Links.GroupedWithin<T>(maxCount, maxTime));

    /// <summary>Limits the rate to <paramref name="elements"/> per <paramref name="per"/> with bursts up to <paramref name="maximumBurst"/>; backpressures when over it.</summary>
    public Source<T> Throttle(int elements, TimeSpan per, int maximumBurst = 0) => Link(Links.Throttle<T>(elements, per, maximumBurst));

    /// <summary>
    /// An async boundary: what comes before runs on another task, through a bounded buffer of
    /// <paramref name="capacity"/> elements (default: the graph's) with the given overflow strategy.
    /// </summary>
    public Source<T> Async(int? capacity = null, OverflowStrategy overflow = OverflowStrategy.Backpressure) => Link(Links.Async<T>(capacity, overflow));

    /// <summary>
    /// Splits the stream by key into <paramref name="partitions"/> parallel sub-streams, each with its own
    /// <see cref="PartitionProcessor{TIn, TOut}"/> (its state) and task, and merges their outputs. Elements
    /// with the same key go to the same partition, in order, on every run (<see cref="PartitionHash"/>).
    /// With <paramref name="eventTime"/>, each partition gets a watermark and event-time timers.
    /// </summary>
    public Source<TOut> PartitionBy<TKey, TOut>(
        int partitions,
        Func<T, TKey> keySelector,
        Func<int, PartitionProcessor<T, TOut>> processorFactory,
        Func<T, long>? eventTime = null,
        PartitionOptions? options = null) =>
        Link(Links.PartitionBy(partitions, keySelector, processorFactory, eventTime, options));

    /// <summary>Partitions by key and folds each partition into its own state; emits each partition's final state on completion.</summary>
    public Source<TState> PartitionedFold<TKey, TState>(int partitions, Func<T, TKey> keySelector, Func<int, TState> seed, Func<TState, T, TState> step, PartitionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(step);
        return PartitionBy(partitions, keySelector, p => new FoldProcessor<T, TState>(seed(p), step), options: options);
    }

    /// <summary>Sends every element also to <paramref name="sink"/> (broadcast within the segment; the slower of the two sets the pace).</summary>
    public Source<T> AlsoTo<TMat>(Sink<T, TMat> sink) => Link(Links.AlsoTo(sink));

    /// <summary>Elements of this source and <paramref name="other"/>, interleaved as they come.</summary>
    public Source<T> Merge(Source<T> other, int? capacity = null) => Source.Merge(capacity, this, other);

    /// <summary>Applies a flow.</summary>
    public Source<TOut> Via<TOut>(Flow<T, TOut> flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return Link(flow.Link);
    }

    /// <summary>Supervision for the stages of this source built so far that have none closer to them.</summary>
    public Source<T> WithDecider(Decider decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        return new Source<T>((context, downstream) =>
        {
            context.PushDecider(decider);
            try
            {
                Attach(context, downstream);
            }
            finally
            {
                context.PopDecider();
            }
        });
    }

    /// <summary>Names the last stage (the <c>stage</c> tag of its metrics).</summary>
    public Source<T> Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Source<T>((context, downstream) =>
        {
            context.SetPendingName(name);
            Attach(context, downstream);
        });
    }

    /// <summary>Connects a sink: a graph ready to run, whose materialized value is the sink's.</summary>
    public RunnableGraph<TMat> To<TMat>(Sink<T, TMat> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return new RunnableGraph<TMat>(context =>
        {
            var (inlet, materialized) = sink.Build(context);
            Attach(context, inlet);
            return materialized;
        });
    }

    /// <summary>Runs with <paramref name="sink"/> and returns its materialized value.</summary>
    public TMat RunWith<TMat>(Sink<T, TMat> sink, PipelineSettings? settings = null) => To(sink).Run(settings).Materialized;

    internal Source<TOut> Link<TOut>(Func<MaterializationContext, Inlet<TOut>, Inlet<T>> link) =>
        new((context, downstream) => Attach(context, link(context, downstream)));
}
