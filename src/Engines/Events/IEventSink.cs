namespace Autopilot.Engines.Events;

/// <summary>Where findings and incidents leave the process as CloudEvents. Must not throw into the caller.</summary>
public interface IEventSink : IAsyncDisposable
{
    void Publish(IReadOnlyList<CloudEvent> events);
}
