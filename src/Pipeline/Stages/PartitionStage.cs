using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Pipeline.Stages;

/// <summary>
/// Splits the stream by key into N partitions, each with its own bounded inbox, task and
/// <see cref="PartitionProcessor{TIn, TOut}"/>; their outputs go to one writer each of a merging boundary.
/// Order is kept within a partition. With an event-time selector the stage tracks the largest event time
/// seen and sends every partition the watermark (max − allowed lateness), even partitions that got no
/// element, so an idle shard's timers still fire.
/// </summary>
internal sealed class PartitionStage<T, TOut> : Stage<T, TOut>, IBufferGauge
{
    private readonly Func<T, int> _partitioner;
    private readonly Func<T, long>? _eventTime;
    private readonly long _lateness;
    private readonly Channel<Batch<T>>[] _inboxes;
    private readonly Batch<T>[] _pending;
    private readonly long[] _sentWatermark;
    private readonly BatchPool<T> _pool;
    private readonly OverflowStrategy _overflow;
    private readonly int _chunk;
    private long _maxEventTime = long.MinValue;
    private long _fill;

    public PartitionStage(
        MaterializationContext context,
        Inlet<TOut>[] outputs,
        Func<T, int> partitioner,
        Func<int, PartitionProcessor<T, TOut>> processorFactory,
        Func<T, long>? eventTime,
        PartitionOptions options)
        : base(context, outputs[0], "partition")
    {
        _partitioner = partitioner;
        _eventTime = eventTime;
        _lateness = options.AllowedLateness;
        _overflow = options.Overflow;
        var n = outputs.Length;
        var capacity = options.BufferCapacity ?? context.Settings.DefaultBufferCapacity;
        _chunk = Math.Min(context.MaxBatchSize, capacity);
        var slots = Math.Max(1, capacity / _chunk);
        Capacity = (long)slots * _chunk * n;
        _pool = new BatchPool<T>(_chunk, (slots + 3) * n);
        _inboxes = new Channel<Batch<T>>[n];
        _pending = new Batch<T>[n];
        _sentWatermark = new long[n];
        for (var p = 0; p < n; p++)
        {
            _inboxes[p] = Channel.CreateBounded<Batch<T>>(
                new BoundedChannelOptions(slots)
                {
                    SingleReader = true,
                    SingleWriter = true,
                    FullMode = _overflow switch
                    {
                        OverflowStrategy.DropNewest => BoundedChannelFullMode.DropWrite,
                        OverflowStrategy.DropOldest => BoundedChannelFullMode.DropOldest,
                        _ => BoundedChannelFullMode.Wait,
                    },
                },
                OnDropped);
            _pending[p] = _pool.Rent();
            _sentWatermark[p] = long.MinValue;
            var worker = new Worker(this, context, p, processorFactory, outputs[p], options.TickInterval);
            context.AddDriver(worker.RunAsync);
        }

        context.AddBuffer(this);
        context.OnFailure(e =>
        {
            foreach (var inbox in _inboxes)
            {
                inbox.Writer.TryComplete(e);
            }
        });
    }

    public string Graph => Metrics.Graph;

    public string Stage => Metrics.Stage;

    public long Fill => Volatile.Read(ref _fill);

    public long Capacity { get; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask OnNextAsync(ReadOnlyMemory<T> batch)
    {
        Metrics.In(batch.Length);
        var offset = 0;
        while (offset < batch.Length)
        {
            var full = DistributeSupervised(batch.Span, ref offset);
            if (full >= 0)
            {
                await SendAsync(full);
            }
        }

        var watermark = _maxEventTime == long.MinValue ? long.MinValue : _maxEventTime - _lateness;
        for (var p = 0; p < _pending.Length; p++)
        {
            if (_pending[p].Count > 0 || watermark > _sentWatermark[p])
            {
                await SendAsync(p);
            }
        }
    }

    // Ticks are the partitions' own business (PartitionOptions.TickInterval); the segment downstream of
    // the merge has its own driver.
    public override ValueTask OnTickAsync(DateTimeOffset now) => ValueTask.CompletedTask;

    public override ValueTask OnCompleteAsync()
    {
        foreach (var inbox in _inboxes)
        {
            inbox.Writer.TryComplete();
        }

        return ValueTask.CompletedTask;
    }

    private int DistributeSupervised(ReadOnlySpan<T> input, ref int offset)
    {
        while (true)
        {
            try
            {
                return Distribute(input, ref offset);
            }
            catch (Exception e) when (Supervise(e, out var directive))
            {
                Recover(directive);
                offset++;
            }
        }
    }

    /// <summary>Appends elements to their partition's pending batch; returns a partition whose batch is full, or -1 at the end of input.</summary>
    private int Distribute(ReadOnlySpan<T> input, ref int offset)
    {
        var pending = _pending;
        var maxEventTime = _maxEventTime;
        var i = offset;
        try
        {
            for (; i < input.Length; i++)
            {
                var item = input[i];
                var p = _partitioner(item);
                if (_eventTime is not null)
                {
                    var t = _eventTime(item);
                    if (t > maxEventTime)
                    {
                        maxEventTime = t;
                    }
                }

                var batch = pending[p];
                batch.Items[batch.Count++] = item;
                if (batch.Count == _chunk)
                {
                    i++;
                    return p;
                }
            }

            return -1;
        }
        finally
        {
            offset = i;
            _maxEventTime = maxEventTime;
        }
    }

    // Pooled: under backpressure (a full inbox) this awaits once per batch in steady state.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(int partition)
    {
        var batch = _pending[partition];
        _pending[partition] = _pool.Rent();
        var watermark = _maxEventTime == long.MinValue ? long.MinValue : _maxEventTime - _lateness;
        batch.Watermark = watermark;
        _sentWatermark[partition] = watermark;
        Interlocked.Add(ref _fill, batch.Count);
        var writer = _inboxes[partition].Writer;
        if (writer.TryWrite(batch))
        {
            return;
        }

        Interlocked.Add(ref _fill, -batch.Count);
        if (_overflow == OverflowStrategy.Fail)
        {
            throw new BufferOverflowException($"Inbox of partition {partition} of stage '{Stage}' is full and its overflow strategy is Fail.");
        }

        var count = batch.Count;
        await writer.WriteAsync(batch);
        Interlocked.Add(ref _fill, count);
    }

    private void OnDropped(Batch<T> batch)
    {
        Interlocked.Add(ref _fill, -batch.Count);
        Metrics.Dropped(batch.Count, "buffer_full");
        _pool.Return(batch);
    }

    /// <summary>One partition: reads its inbox, runs its processor, writes its output to the merge.</summary>
    private sealed class Worker
    {
        private readonly PartitionStage<T, TOut> _stage;
        private readonly MaterializationContext _context;
        private readonly int _partition;
        private readonly Func<int, PartitionProcessor<T, TOut>> _factory;
        private readonly Inlet<TOut> _output;
        private readonly SegmentTimer _timer;
        private readonly PartitionContext<TOut> _partitionContext;
        private readonly int _flushAt;
        private PartitionProcessor<T, TOut> _processor;

        public Worker(PartitionStage<T, TOut> stage, MaterializationContext context, int partition, Func<int, PartitionProcessor<T, TOut>> factory, Inlet<TOut> output, TimeSpan? tick)
        {
            _stage = stage;
            _context = context;
            _partition = partition;
            _factory = factory;
            _output = output;
            _timer = new SegmentTimer(context.Time, tick);
            _flushAt = context.MaxBatchSize;
            _partitionContext = new PartitionContext<TOut>(partition, context.MaxBatchSize);
            _processor = factory(partition);
        }

        public async Task RunAsync()
        {
            var reader = _stage._inboxes[_partition].Reader;
            while (true)
            {
                while (reader.TryRead(out var batch))
                {
                    if (_context.AbortToken.IsCancellationRequested)
                    {
                        return;
                    }

                    Interlocked.Add(ref _stage._fill, -batch.Count);
                    ProcessSupervised(batch);
                    _stage._pool.Return(batch);
                    if (_partitionContext.OutputCount >= _flushAt)
                    {
                        await FlushAsync();
                    }

                    if (_timer.TryTake(out var now))
                    {
                        Tick(now);
                    }
                }

                await FlushAsync();
                var result = await ChannelWait.WaitAsync(reader, _timer, _context.Time, CancellationToken.None);
                if (result == WaitResult.Completed)
                {
                    break;
                }

                if (result == WaitResult.Tick && _timer.TryTake(out var tickTime))
                {
                    Tick(tickTime);
                }
            }

            try
            {
                _processor.OnComplete(_partitionContext);
            }
            catch (Exception e) when (Supervise(e, out var directive))
            {
                Recover(directive);
            }

            await FlushAsync();
            await _output.OnCompleteAsync();
        }

        private void ProcessSupervised(Batch<T> batch)
        {
            var items = batch.Items;
            var count = batch.Count;
            var i = 0;
            while (i < count)
            {
                try
                {
                    _processor.ProcessRange(items, ref i, count, _partitionContext);
                }
                catch (Exception e) when (Supervise(e, out var directive))
                {
                    Recover(directive);
                    i++;
                }
            }

            if (_partitionContext.AdvanceWatermark(batch.Watermark))
            {
                while (_partitionContext.TryTakeDueTimer(out var time, out var tag))
                {
                    try
                    {
                        _processor.OnEventTimer(time, tag, _partitionContext);
                    }
                    catch (Exception e) when (Supervise(e, out var directive))
                    {
                        Recover(directive);
                    }
                }

                try
                {
                    _processor.OnWatermark(batch.Watermark, _partitionContext);
                }
                catch (Exception e) when (Supervise(e, out var directive))
                {
                    Recover(directive);
                }
            }
        }

        private void Tick(DateTimeOffset now)
        {
            try
            {
                _processor.OnTick(now, _partitionContext);
            }
            catch (Exception e) when (Supervise(e, out var directive))
            {
                Recover(directive);
            }
        }

        private bool Supervise(Exception e, out Directive directive)
        {
            directive = _stage.Decide(e);
            return directive != Directive.Stop;
        }

        private void Recover(Directive directive)
        {
            if (directive == Directive.Restart)
            {
                // For a partition, restart means a fresh processor: its state is gone, the others' are not.
                _processor = _factory(_partition);
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask FlushAsync()
        {
            if (_partitionContext.OutputCount == 0)
            {
                return;
            }

            await _output.OnNextAsync(_partitionContext.Output);
            _partitionContext.ClearOutput();
        }
    }
}
