namespace Autopilot.Engines.Events;

/// <summary>The in-process live event stream (<c>GET /api/events</c>, the dashboard's server-sent events).</summary>
public sealed class LiveEventsOptions
{
    /// <summary>Most live subscribers at once; one more is refused with 503. Default 64.</summary>
    public int MaxSubscribers { get; set; } = 64;

    /// <summary>Events buffered per subscriber; a subscriber that falls this far behind is dropped. Default 256.</summary>
    public int BufferPerSubscriber { get; set; } = 256;

    /// <summary>How often an idle stream sends a comment line, so proxies and browsers keep it open. Default 15 s.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxSubscribers < 1)
        {
            throw new ArgumentException($"liveEvents.maxSubscribers must be at least 1, got {MaxSubscribers}.");
        }

        if (BufferPerSubscriber < 1)
        {
            throw new ArgumentException($"liveEvents.bufferPerSubscriber must be at least 1, got {BufferPerSubscriber}.");
        }

        if (Heartbeat <= TimeSpan.Zero)
        {
            throw new ArgumentException($"liveEvents.heartbeat must be positive, got {Heartbeat}.");
        }
    }
}
