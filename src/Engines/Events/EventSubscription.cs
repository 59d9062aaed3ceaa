using System.Threading.Channels;

namespace Autopilot.Engines.Events;

/// <summary>
/// One live subscriber of an <see cref="EventBroadcaster"/>: read events from <see cref="Reader"/>; it
/// completes when the subscriber fell behind (<see cref="Overflowed"/>) or the broadcaster was disposed.
/// Dispose to unsubscribe.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly EventBroadcaster _owner;
    private readonly Channel<CloudEvent> _buffer;
    private volatile bool _overflowed;
    private volatile bool _closed;

    internal EventSubscription(EventBroadcaster owner, int capacity)
    {
        _owner = owner;

        // Wait mode only makes TryWrite fail when full: the publisher never waits, it drops the subscriber.
        _buffer = Channel.CreateBounded<CloudEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelReader<CloudEvent> Reader => _buffer.Reader;

    /// <summary>True when events were lost because this subscriber's buffer was full; the stream has ended.</summary>
    public bool Overflowed => _overflowed;

    public void Dispose()
    {
        _closed = true;
        _owner.Remove(this);
        _buffer.Writer.TryComplete();
    }

    /// <summary>Buffers the batch; false (and the stream completes) when it does not fit.</summary>
    internal bool Offer(IReadOnlyList<CloudEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (!_buffer.Writer.TryWrite(events[i]))
            {
                if (_closed)
                {
                    // Unsubscribed or shut down while this batch was going out: not a slow reader.
                    return true;
                }

                _overflowed = true;
                _closed = true;
                _buffer.Writer.TryComplete();
                return false;
            }
        }

        return true;
    }

    internal void Complete()
    {
        _closed = true;
        _buffer.Writer.TryComplete();
    }
}
