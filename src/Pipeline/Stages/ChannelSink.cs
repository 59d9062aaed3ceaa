using System.Threading.Channels;

namespace Autopilot.Pipeline.Stages;

/// <summary>Writes every element to a channel, waiting when it is full; completes it at the end if asked.</summary>
internal sealed class ChannelSink<T> : SupervisedInlet<T>
{
    private readonly ChannelWriter<T> _writer;
    private readonly bool _complete;
    private readonly CancellationToken _abort;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChannelSink(MaterializationContext context, ChannelWriter<T> writer, bool complete)
        : base(context, "channel-sink")
    {
        _writer = writer;
        _complete = complete;
        _abort = context.AbortToken;
        context.OnFailure(e =>
        {
            if (_complete)
            {
                _writer.TryComplete(e);
            }

            _done.TrySetException(e);
        });
    }

    public Task Completion => _done.Task;

    public override async ValueTask OnNextAsync(ReadOnlyMemory<T> batch)
    {
        Metrics.In(batch.Length);
        for (var i = 0; i < batch.Length; i++)
        {
            var item = batch.Span[i];
            if (!_writer.TryWrite(item))
            {
                await _writer.WriteAsync(item, _abort);
            }
        }
    }

    public override ValueTask OnTickAsync(DateTimeOffset now) => ValueTask.CompletedTask;

    public override ValueTask OnCompleteAsync()
    {
        if (_complete)
        {
            _writer.TryComplete();
        }

        _done.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
