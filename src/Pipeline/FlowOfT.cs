using Autopilot.Pipeline.Stages;

namespace Autopilot.Pipeline;

/// <summary>A reusable piece of a graph with one input and one output; see <see cref="Source{T}"/> for the operators' semantics.</summary>
public sealed class Flow<TIn, TOut>
{
    internal Flow(Func<MaterializationContext, Inlet<TOut>, Inlet<TIn>> link) => Link = link;

    internal Func<MaterializationContext, Inlet<TOut>, Inlet<TIn>> Link { get; }

    public Flow<TIn, TNext> Select<TNext>(Func<TOut, TNext> selector) => Then(Links.Select(selector));

    public Flow<TIn, TOut> Where(Func<TOut, bool> predicate) => Then(Links.Where(predicate));

    public Flow<TIn, TNext> SelectMany<TNext>(Func<TOut, IEnumerable<TNext>> selector) => Then(Links.SelectMany(selector));

    public Flow<TIn, TState> Scan<TState>(TState seed, Func<TState, TOut, TState> step) => Then(Links.Scan(seed, step));

    public Flow<TIn, TOut[]> GroupedWithin(int maxCount, TimeSpan maxTime) => Then(Links.GroupedWithin<TOut>(maxCount, maxTime));

    public Flow<TIn, TOut> Throttle(int elements, TimeSpan per, int maximumBurst = 0) => Then(Links.Throttle<TOut>(elements, per, maximumBurst));

    /// <summary>Sends every element also to <paramref name="sink"/> (broadcast within the segment; the slower of the two sets the pace).</summary>
    public Flow<TIn, TOut> AlsoTo<TMat>(Sink<TOut, TMat> sink) => Then(Links.AlsoTo(sink));

    public Flow<TIn, TOut> Async(int? capacity = null, OverflowStrategy overflow = OverflowStrategy.Backpressure) => Then(Links.Async<TOut>(capacity, overflow));

    /// <summary>Names the last stage (the <c>stage</c> tag of its metrics).</summary>
    public Flow<TIn, TOut> Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Flow<TIn, TOut>((context, downstream) =>
        {
            context.SetPendingName(name);
            return Link(context, downstream);
        });
    }

    public Flow<TIn, TNext> PartitionBy<TKey, TNext>(
        int partitions,
        Func<TOut, TKey> keySelector,
        Func<int, Partitioning.PartitionProcessor<TOut, TNext>> processorFactory,
        Func<TOut, long>? eventTime = null,
        Partitioning.PartitionOptions? options = null) =>
        Then(Links.PartitionBy(partitions, keySelector, processorFactory, eventTime, options));

    public Flow<TIn, TNext> Via<TNext>(Flow<TOut, TNext> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Then(next.Link);
    }

    /// <summary>Supervision for the stages of this flow built so far that have none closer to them.</summary>
    public Flow<TIn, TOut> WithDecider(Decider decider) => new(Links.WithDecider(Link, decider));

    /// <summary>A sink that runs this flow in front of <paramref name="sink"/>.</summary>
    public Sink<TIn, TMat> To<TMat>(Sink<TOut, TMat> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return new Sink<TIn, TMat>(context =>
        {
            var (inlet, materialized) = sink.Build(context);
            return (Link(context, inlet), materialized);
        });
    }

    private Flow<TIn, TNext> Then<TNext>(Func<MaterializationContext, Inlet<TNext>, Inlet<TOut>> next) =>
        new((context, downstream) => Link(context, next(context, downstream)));
}
