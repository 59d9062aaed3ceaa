namespace Autopilot.Pipeline.Stages;

/// <summary>Hands each batch to an async callback; an exception from it fails the graph (no per-element supervision).</summary>
internal sealed class BatchSink<T> : SupervisedInlet<T>
{
    private readonly Func<ReadOnlyMemory<T>, CancellationToken, ValueTask> _onBatch;
    private readonly Func<CancellationToken, ValueTask>? _onComplete;
    private readonly CancellationToken _abort;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BatchSink(MaterializationContext context, Func<ReadOnlyMemory<T>, CancellationToken, ValueTask> onBatch, Func<CancellationToken, ValueTask>? onComplete)
        : base(context, "batch-sink")
    {
        _onBatch = onBatch;
        _onComplete = onComplete;
        _abort = context.AbortToken;
        context.OnFailure(e => _done.TrySetException(e));
    }

    public Task Completion => _done.Task;

    public override ValueTask OnNextAsync(ReadOnlyMemory<T> batch)
    {
        Metrics.In(batch.Length);
        return _onBatch(batch, _abort);
    }

    public override ValueTask OnTickAsync(DateTimeOffset now) => ValueTask.CompletedTask;

    public override async ValueTask OnCompleteAsync()
    {
        if (_onComplete is not null)
        {
            await _onComplete(_abort);
        }

        _done.TrySetResult();
    }
}
