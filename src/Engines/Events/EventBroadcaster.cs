using System.Diagnostics.Metrics;

namespace Autopilot.Engines.Events;

/// <summary>
/// Fans findings and incident events out to live subscribers in this process (the dashboard's event
/// stream). <see cref="Publish"/> runs on the incident correlator's task and never waits: each subscriber
/// has a bounded buffer, and one that is full is dropped (its stream ends with an overflow notice and the
/// client reconnects and refetches) rather than slowing the pipeline. With no subscribers publishing is a
/// read of an empty array.
/// </summary>
public sealed class EventBroadcaster : IEventSink
{
    private static readonly Meter s_meter = new("Autopilot.Events");
    private static readonly Counter<long> s_dropped = s_meter.CreateCounter<long>(
        "autopilot.events.live.subscribers_dropped", "{subscriber}", "Live event subscribers dropped, by reason (too_slow: their buffer was full).");

    private static readonly UpDownCounter<long> s_connected = s_meter.CreateUpDownCounter<long>(
        "autopilot.events.live.subscribers", "{subscriber}", "Live event subscribers connected now.");

    private readonly LiveEventsOptions _options;
    private readonly Lock _gate = new();

    // Copy-on-write: Publish reads the array without a lock; subscribe and unsubscribe replace it.
    private EventSubscription[] _subscribers = [];
    private bool _disposed;

    public EventBroadcaster(LiveEventsOptions? options = null)
    {
        _options = options ?? new LiveEventsOptions();
        _options.Validate();
    }

    public LiveEventsOptions Options => _options;

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Whether anyone is subscribed now.</summary>
    public bool Listening => SubscriberCount > 0;

    /// <summary>A new subscriber receiving every event published from now on, or null when <see cref="LiveEventsOptions.MaxSubscribers"/> are connected (or after disposal).</summary>
    public EventSubscription? TrySubscribe()
    {
        lock (_gate)
        {
            if (_disposed || _subscribers.Length >= _options.MaxSubscribers)
            {
                return null;
            }

            var subscription = new EventSubscription(this, _options.BufferPerSubscriber);
            _subscribers = [.. _subscribers, subscription];
            s_connected.Add(1);
            return subscription;
        }
    }

    public void Publish(IReadOnlyList<CloudEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var subscribers = Volatile.Read(ref _subscribers);
        for (var i = 0; i < subscribers.Length; i++)
        {
            if (!subscribers[i].Offer(events))
            {
                s_dropped.Add(1, new KeyValuePair<string, object?>("reason", "too_slow"));
                Remove(subscribers[i]);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        EventSubscription[] subscribers;
        lock (_gate)
        {
            _disposed = true;
            subscribers = _subscribers;
            _subscribers = [];
        }

        s_connected.Add(-subscribers.Length);

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete();
        }

        return ValueTask.CompletedTask;
    }

    internal void Remove(EventSubscription subscription)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, subscription);
            if (index < 0)
            {
                return;
            }

            var next = new EventSubscription[_subscribers.Length - 1];
            Array.Copy(_subscribers, 0, next, 0, index);
            Array.Copy(_subscribers, index + 1, next, index, next.Length - index);
            _subscribers = next;
        }

        s_connected.Add(-1);
    }
}
