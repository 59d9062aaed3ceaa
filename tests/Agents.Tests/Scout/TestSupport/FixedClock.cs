namespace Autopilot.Agents.Tests.Scout.TestSupport;

/// <summary>A clock that always says the same time, so two scans of one tree give byte-identical plans.</summary>
internal sealed class FixedClock : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
