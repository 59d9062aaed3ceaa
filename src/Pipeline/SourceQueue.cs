using System.Threading.Channels;

namespace Autopilot.Pipeline;

/// <summary>
/// A bounded queue that feeds a graph through <see cref="Source.FromQueue{T}"/>. Offers say what became
/// of the element; with <see cref="OverflowStrategy.Backpressure"/> <see cref="OfferAsync"/> waits for room.
/// </summary>
public sealed class SourceQueue<T>
{
    private readonly Channel<T> _channel;
    private readonly OverflowStrategy _overflow;
    private int _attached;
    private volatile bool _closed;

    public SourceQueue(int capacity, OverflowStrategy overflow = OverflowStrategy.Backpressure)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _overflow = overflow;
        Capacity = capacity;
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = overflow == OverflowStrategy.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        });
    }

    public int Capacity { get; }

    /// <summary>Elements waiting to be taken by the graph.</summary>
    public int Count => _channel.Reader.Count;

    internal ChannelReader<T> Reader => _channel.Reader;

    /// <summary>Offers an element without waiting: full means dropped (or failure, with <see cref="OverflowStrategy.Fail"/>).</summary>
    public QueueOfferResult TryOffer(T item)
    {
        if (_channel.Writer.TryWrite(item))
        {
            return QueueOfferResult.Enqueued;
        }

        return Full();
    }

    /// <summary>Offers an element; with backpressure waits until there is room.</summary>
    public async ValueTask<QueueOfferResult> OfferAsync(T item, CancellationToken cancellationToken = default)
    {
        if (_channel.Writer.TryWrite(item))
        {
            return QueueOfferResult.Enqueued;
        }

        if (_overflow != OverflowStrategy.Backpressure)
        {
            return Full();
        }

        try
        {
            await _channel.Writer.WriteAsync(item, cancellationToken);
            return QueueOfferResult.Enqueued;
        }
        catch (ChannelClosedException)
        {
            return QueueOfferResult.QueueClosed;
        }
    }

    /// <summary>No more elements: the graph processes what is queued, then completes.</summary>
    public void Complete()
    {
        _closed = true;
        _channel.Writer.TryComplete();
    }

    /// <summary>Fails the graph after what is queued.</summary>
    public void Fail(Exception error)
    {
        _closed = true;
        _channel.Writer.TryComplete(error);
    }

    internal void Attach()
    {
        if (Interlocked.Exchange(ref _attached, 1) != 0)
        {
            throw new InvalidOperationException("A SourceQueue feeds one running graph only.");
        }
    }

    private QueueOfferResult Full()
    {
        // TryWrite also fails on a completed channel: tell the two apart.
        if (_closed)
        {
            return QueueOfferResult.QueueClosed;
        }

        if (_overflow == OverflowStrategy.Fail)
        {
            Fail(new BufferOverflowException($"Source queue is full ({Capacity} elements) and its overflow strategy is Fail."));
            return QueueOfferResult.Failure;
        }

        return QueueOfferResult.Dropped;
    }
}
