using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Pipeline.Stages;

/// <summary>
/// Every operator as a link: given the downstream inlet, build the stage and return its inlet. Source and
/// Flow both compose these, so each operator is written once.
/// </summary>
internal static class Links
{
    public static Func<MaterializationContext, Inlet<TOut>, Inlet<TIn>> Select<TIn, TOut>(Func<TIn, TOut> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return (context, downstream) => new SelectStage<TIn, TOut>(context, downstream, selector);
    }

    public static Func<MaterializationContext, Inlet<T>, Inlet<T>> Where<T>(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return (context, downstream) => new WhereStage<T>(context, downstream, predicate);
    }

    public static Func<MaterializationContext, Inlet<TOut>, Inlet<TIn>> SelectMany<TIn, TOut>(Func<TIn, IEnumerable<TOut>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return (context, downstream) => new SelectManyStage<TIn, TOut>(context, downstream, selector);
    }

    public static Func<MaterializationContext, Inlet<TState>, Inlet<TIn>> Scan<TIn, TState>(TState seed, Func<TState, TIn, TState> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return (context, downstream) => new ScanStage<TIn, TState>(context, downstream, seed, step);
    }

    public static Func<MaterializationContext, Inlet<T[]>, Inlet<T>> GroupedWithin<T>(int maxCount, TimeSpan maxTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxTime, TimeSpan.Zero);
        return (context, downstream) => new GroupedWithinStage<T>(context, downstream, maxCount, maxTime);
    }

    public static Func<MaterializationContext, Inlet<T>, Inlet<T>> Throttle<T>(int elements, TimeSpan per, int maximumBurst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elements, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(per, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximumBurst, 0);
        return (context, downstream) => new ThrottleStage<T>(context, downstream, elements, per, maximumBurst);
    }

    public static Func<MaterializationContext, Inlet<T>, Inlet<T>> Async<T>(int? capacity, OverflowStrategy overflow)
    {
        if (capacity is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "An async boundary needs a capacity of at least 1 element.");
        }

        return (context, downstream) =>
            new AsyncBoundary<T>(context, downstream, capacity ?? context.Settings.DefaultBufferCapacity, overflow, writers: 1).CreateWriter();
    }

    public static Func<MaterializationContext, Inlet<TOut>, Inlet<T>> PartitionBy<T, TKey, TOut>(
        int partitions,
        Func<T, TKey> keySelector,
        Func<int, PartitionProcessor<T, TOut>> processorFactory,
        Func<T, long>? eventTime,
        PartitionOptions? options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(processorFactory);
        options ??= new PartitionOptions();
        options.Validate();
        return (context, downstream) =>
        {
            var merge = new AsyncBoundary<TOut>(context, downstream, options.BufferCapacity ?? context.Settings.DefaultBufferCapacity, OverflowStrategy.Backpressure, partitions, "partition-merge");
            var outputs = new Inlet<TOut>[partitions];
            for (var p = 0; p < partitions; p++)
            {
                outputs[p] = merge.CreateWriter();
            }

            Func<T, int> partitioner;
            if (keySelector is Func<T, string> stringKey)
            {
                var cache = new StringBucketCache(partitions);
                partitioner = item => cache.BucketOf(stringKey(item));
            }
            else
            {
                partitioner = item => PartitionHash.Bucket(PartitionHash.Hash(keySelector(item)), partitions);
            }

            return new PartitionStage<T, TOut>(context, outputs, partitioner, processorFactory, eventTime, options);
        };
    }

    public static Func<MaterializationContext, Inlet<T>, Inlet<T>> AlsoTo<T, TMat>(Sink<T, TMat> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return (context, downstream) => new FanOutStage<T>(downstream, sink.Build(context).Inlet);
    }

    public static Func<MaterializationContext, Inlet<TOut>, Inlet<TIn>> WithDecider<TIn, TOut>(Func<MaterializationContext, Inlet<TOut>, Inlet<TIn>> inner, Decider decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        return (context, downstream) =>
        {
            context.PushDecider(decider);
            try
            {
                return inner(context, downstream);
            }
            finally
            {
                context.PopDecider();
            }
        };
    }
}
