using System.Runtime.CompilerServices;

namespace Autopilot.Pipeline.Stages;

/// <summary>
/// A synchronous element-wise stage: turns an input batch into output batches through a buffer it owns,
/// with a tight loop over spans and supervision per element.
/// </summary>
internal abstract class SpanStage<TIn, TOut> : Stage<TIn, TOut>
{
    private readonly TOut[] _buffer;

    protected SpanStage(MaterializationContext context, Inlet<TOut> downstream, string kind)
        : base(context, downstream, kind)
    {
        _buffer = new TOut[context.MaxBatchSize];
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public sealed override async ValueTask OnNextAsync(ReadOnlyMemory<TIn> batch)
    {
        Metrics.In(batch.Length);
        var offset = 0;
        while (offset < batch.Length || HasPending)
        {
            var written = FillSupervised(batch.Span, ref offset);
            if (written > 0)
            {
                Metrics.Out(written);
                await Downstream.OnNextAsync(_buffer.AsMemory(0, written));
            }
        }

        if (RuntimeHelpers.IsReferenceOrContainsReferences<TOut>())
        {
            Array.Clear(_buffer);
        }
    }

    /// <summary>True while output from an element already consumed is still to be written (map-many).</summary>
    protected virtual bool HasPending => false;

    /// <summary>
    /// Consumes input from <paramref name="offset"/> and writes output until the input ends or the
    /// buffer is full. <paramref name="offset"/> is advanced past each element fully handled; if user
    /// code throws, it stays on the failing element.
    /// </summary>
    protected abstract void Fill(ReadOnlySpan<TIn> input, ref int offset, Span<TOut> output, ref int written);

    private int FillSupervised(ReadOnlySpan<TIn> input, ref int offset)
    {
        var written = 0;
        while (true)
        {
            try
            {
                Fill(input, ref offset, _buffer, ref written);
                return written;
            }
            catch (Exception e) when (Supervise(e, out var directive))
            {
                Recover(directive);
                SkipFailed(ref offset);
            }
        }
    }

    /// <summary>Moves past the element that failed.</summary>
    protected virtual void SkipFailed(ref int offset) => offset++;
}
