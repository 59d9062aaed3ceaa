namespace Autopilot.Engines.Events;

/// <summary>Where findings and incidents leave the process as CloudEvents. Must not throw into the caller.</summary>
public interface IEventSink : IAsyncDisposable
{
    void Publish(IReadOnlyList<CloudEvent> events);

    /// <summary>
    /// Whether anything would receive events published now. False lets the publisher skip making them (the correlator
    /// then writes incidents to the store as what they gained instead of building them whole). Always true for a
    /// file or webhook; the live stream is listening while it has subscribers.
    /// </summary>
    bool Listening => true;
}
