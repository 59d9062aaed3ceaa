namespace Autopilot.Pipeline.Stages;

/// <summary>Folds every element into an accumulator; the result completes when the stream does.</summary>
internal sealed class AggregateSink<T, TAcc> : SupervisedInlet<T>
{
    private readonly TAcc _seed;
    private readonly Func<TAcc, T, TAcc> _step;
    private readonly TaskCompletionSource<TAcc> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TAcc _acc;

    public AggregateSink(MaterializationContext context, TAcc seed, Func<TAcc, T, TAcc> step, string kind)
        : base(context, kind)
    {
        _seed = seed;
        _acc = seed;
        _step = step;
        context.OnFailure(e => _result.TrySetException(e));
    }

    public Task<TAcc> Result => _result.Task;

    public override ValueTask OnNextAsync(ReadOnlyMemory<T> batch)
    {
        Metrics.In(batch.Length);
        var span = batch.Span;
        var i = 0;
        while (i < span.Length)
        {
            try
            {
                var acc = _acc;
                for (; i < span.Length; i++)
                {
                    acc = _step(acc, span[i]);
                    _acc = acc;
                }
            }
            catch (Exception e) when (Supervise(e, out var directive))
            {
                Recover(directive);
                i++;
            }
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask OnTickAsync(DateTimeOffset now) => ValueTask.CompletedTask;

    public override ValueTask OnCompleteAsync()
    {
        _result.TrySetResult(_acc);
        return ValueTask.CompletedTask;
    }

    protected override void Restart() => _acc = _seed;
}
