using Autopilot.Engines.Hosting;
using Autopilot.Engines.State;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Tests.Hosting;

/// <summary>The event time the shards are partitioned and watermarked on: a signal's own, clamped to now + MaxFutureSkew.</summary>
public sealed class EventTimeTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EventTime_FarAhead_ClampedToTheClockPlusSkew_AsTheClockMoves()
    {
        var directory = Path.Combine(Path.GetTempPath(), "autopilot-eventtime-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = new SqliteEngineStore(Path.Combine(directory, "engines.db"));
            var clock = new MovableTime(Start);
            var host = new EngineHost(new EngineOptions { Shards = 1, MaxFutureSkew = TimeSpan.FromMinutes(5) }, store, (_, _) => [], time: clock);
            var limit = Nanos(Start.AddMinutes(5));

            Assert.Equal(Nanos(Start), host.EventTimeOf(Input(Nanos(Start))));
            Assert.Equal(limit, host.EventTimeOf(Input(Nanos(Start.AddHours(3)))));
            Assert.Equal(limit - 1, host.EventTimeOf(Input(limit - 1)));
            Assert.Equal(long.MinValue, host.EventTimeOf(Input(0)));
            Assert.Equal(long.MinValue, host.EventTimeOf(new EngineInput(1, default, 0)));

            // An hour later the same far time is clamped to the new limit, and a time the old limit cut is not cut.
            clock.Now = Start.AddHours(1);
            Assert.Equal(Nanos(Start.AddMinutes(30)), host.EventTimeOf(Input(Nanos(Start.AddMinutes(30)))));
            Assert.Equal(Nanos(Start.AddHours(1).AddMinutes(5)), host.EventTimeOf(Input(Nanos(Start.AddHours(3)))));
            Assert.Equal(Nanos(Start.AddHours(1).AddMinutes(4)), host.EventTimeOf(Input(Nanos(Start.AddHours(1).AddMinutes(4)))));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static long Nanos(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1_000_000;

    private static EngineInput Input(long time) =>
        new(1, new Signal(SignalKind.Span, "urn:autopilot:service:a:b", time, TraceId.Empty, 0, null, "op", 1, SignalStatus.Ok, 0, SignalAttributes.Empty));

    private sealed class MovableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
