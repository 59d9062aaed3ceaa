namespace Autopilot.Engines.Events;

/// <summary>Publishes every batch to several sinks in order (the live stream and a file or webhook); disposes them all.</summary>
public sealed class FanOutEventSink : IEventSink
{
    private readonly IEventSink[] _sinks;

    public FanOutEventSink(params IEventSink[] sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _sinks = sinks;
    }

    public bool Listening => Array.Exists(_sinks, s => s.Listening);

    public void Publish(IReadOnlyList<CloudEvent> events)
    {
        foreach (var sink in _sinks)
        {
            sink.Publish(events);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sink in _sinks)
        {
            await sink.DisposeAsync().ConfigureAwait(false);
        }
    }
}
