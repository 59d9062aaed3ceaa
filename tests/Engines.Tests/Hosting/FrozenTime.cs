namespace Autopilot.Engines.Tests.Hosting;

/// <summary>A clock that never moves: a shard driven by a test then snapshots only when asked to (durability requests).</summary>
internal sealed class FrozenTime : TimeProvider
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Now.UtcTicks;
}
