using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Autopilot.Pipeline.Stages;

/// <summary>
/// A bounded buffer between two segments, each on its own task. Writers (one, or several for a merge)
/// copy their batches into pooled chunks and put them in a bounded channel; the reading side drives the
/// downstream segment. Capacity is in elements; it holds at most <c>capacity / chunk</c> chunks.
/// </summary>
internal sealed class AsyncBoundary<T> : IBufferGauge
{
    private readonly Channel<Batch<T>> _channel;
    private readonly BatchPool<T> _pool;
    private readonly Inlet<T> _downstream;
    private readonly SegmentTimer _timer;
    private readonly MaterializationContext _context;
    private readonly StageMetrics _metrics;
    private readonly OverflowStrategy _overflow;
    private readonly int _chunk;
    private int _openWriters;
    private long _fill;

    public AsyncBoundary(MaterializationContext context, Inlet<T> downstream, int capacity, OverflowStrategy overflow, int writers, string kind = "async")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _context = context;
        _downstream = downstream;
        _overflow = overflow;
        _metrics = context.CreateMetrics(kind);
        _chunk = Math.Min(context.MaxBatchSize, capacity);
        var slots = Math.Max(1, capacity / _chunk);
        Capacity = (long)slots * _chunk;
        _pool = new BatchPool<T>(_chunk, slots + writers + 2);
        _openWriters = writers;
        _channel = Channel.CreateBounded<Batch<T>>(
            new BoundedChannelOptions(slots)
            {
                SingleReader = true,
                SingleWriter = writers == 1,
                AllowSynchronousContinuations = false,
                FullMode = overflow switch
                {
                    OverflowStrategy.DropNewest => BoundedChannelFullMode.DropWrite,
                    OverflowStrategy.DropOldest => BoundedChannelFullMode.DropOldest,
                    _ => BoundedChannelFullMode.Wait,
                },
            },
            OnDropped);

        // The reading side drives the segment below this boundary, so it owns that segment's ticks.
        _timer = context.TakeSegmentTimer();
        context.AddDriver(RunAsync);
        context.AddBuffer(this);
        context.OnFailure(e => _channel.Writer.TryComplete(e));
    }

    public string Graph => _metrics.Graph;

    public string Stage => _metrics.Stage;

    public long Fill => Volatile.Read(ref _fill);

    public long Capacity { get; }

    /// <summary>One writer per upstream; the boundary completes when all of them have.</summary>
    public Inlet<T> CreateWriter() => new Writer(this);

    private void OnDropped(Batch<T> batch)
    {
        Interlocked.Add(ref _fill, -batch.Count);
        _metrics.Dropped(batch.Count, "buffer_full");
        _pool.Return(batch);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteAsync(ReadOnlyMemory<T> items)
    {
        _metrics.In(items.Length);
        var offset = 0;
        while (offset < items.Length)
        {
            var batch = _pool.Rent();
            var n = Math.Min(_chunk, items.Length - offset);
            items.Span.Slice(offset, n).CopyTo(batch.Items);
            batch.Count = n;
            offset += n;
            Interlocked.Add(ref _fill, n);
            if (_channel.Writer.TryWrite(batch))
            {
                continue;
            }

            if (_overflow == OverflowStrategy.Fail)
            {
                _pool.Return(batch);
                throw new BufferOverflowException($"Buffer of stage '{Stage}' is full ({Capacity} elements) and its overflow strategy is Fail.");
            }

            // Backpressure: wait for room. Throws ChannelClosedException when the graph fails meanwhile.
            // The batch counts toward the fill only once it is in the buffer.
            Interlocked.Add(ref _fill, -n);
            await _channel.Writer.WriteAsync(batch);
            Interlocked.Add(ref _fill, n);
        }
    }

    private void CompleteWriter()
    {
        if (Interlocked.Decrement(ref _openWriters) == 0)
        {
            _channel.Writer.TryComplete();
        }
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        while (true)
        {
            while (reader.TryRead(out var batch))
            {
                if (_context.AbortToken.IsCancellationRequested)
                {
                    return;
                }

                Interlocked.Add(ref _fill, -batch.Count);
                _metrics.Out(batch.Count);
                await _downstream.OnNextAsync(batch.Memory);
                _pool.Return(batch);
                if (_timer.TryTake(out var now))
                {
                    await _downstream.OnTickAsync(now);
                }
            }

            var result = await ChannelWait.WaitAsync(reader, _timer, _context.Time, CancellationToken.None);
            if (result == WaitResult.Completed)
            {
                break;
            }

            if (result == WaitResult.Tick && _timer.TryTake(out var tickTime))
            {
                await _downstream.OnTickAsync(tickTime);
            }
        }

        await _downstream.OnCompleteAsync();
    }

    private sealed class Writer(AsyncBoundary<T> boundary) : Inlet<T>
    {
        public override ValueTask OnNextAsync(ReadOnlyMemory<T> batch) => boundary.WriteAsync(batch);

        // The segment below has its own driver and ticks.
        public override ValueTask OnTickAsync(DateTimeOffset now) => ValueTask.CompletedTask;

        public override ValueTask OnCompleteAsync()
        {
            boundary.CompleteWriter();
            return ValueTask.CompletedTask;
        }
    }
}
