namespace Autopilot.Pipeline.Stages;

/// <summary>Broadcast within a segment: every batch goes to both inlets, so the slower one sets the pace.</summary>
internal sealed class FanOutStage<T>(Inlet<T> first, Inlet<T> second) : Inlet<T>
{
    public override async ValueTask OnNextAsync(ReadOnlyMemory<T> batch)
    {
        await first.OnNextAsync(batch);
        await second.OnNextAsync(batch);
    }

    public override async ValueTask OnTickAsync(DateTimeOffset now)
    {
        await first.OnTickAsync(now);
        await second.OnTickAsync(now);
    }

    public override async ValueTask OnCompleteAsync()
    {
        await first.OnCompleteAsync();
        await second.OnCompleteAsync();
    }
}
