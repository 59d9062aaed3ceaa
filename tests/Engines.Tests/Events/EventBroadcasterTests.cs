using System.Buffers;
using System.Text;
using System.Text.Json;
using Autopilot.Engines.Api;
using Autopilot.Engines.Events;

namespace Autopilot.Engines.Tests.Events;

public sealed class EventBroadcasterTests
{
    private static CloudEvent Event(int i, string type = "autopilot.incident.opened") =>
        new($"e-{i}", "urn:autopilot:service:prod:checkout", type, DateTimeOffset.UnixEpoch.AddSeconds(i), new { n = i });

    private static List<CloudEvent> Batch(int from, int count) => [.. Enumerable.Range(from, count).Select(i => Event(i))];

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(10_000)]
    public async Task Publish_ToSubscribersThatKeepUp_DeliversEveryEventInOrder(int events)
    {
        await using var hub = new EventBroadcaster(new LiveEventsOptions { BufferPerSubscriber = 16 });
        using var a = hub.TrySubscribe()!;
        using var b = hub.TrySubscribe()!;
        var received = new List<string>[] { [], [] };
        var readers = new[] { a, b }.Select((s, k) => Task.Run(async () =>
        {
            while (received[k].Count < events && await s.Reader.WaitToReadAsync())
            {
                while (s.Reader.TryRead(out var e))
                {
                    received[k].Add(e.Id);
                }
            }
        })).ToArray();

        // The publisher never waits, so a batch is published only once the readers have room for it.
        for (var i = 0; i < events; i += 8)
        {
            var batch = Batch(i, Math.Min(8, events - i));
            while (a.Reader.Count > 8 || b.Reader.Count > 8)
            {
                await Task.Yield();
            }

            hub.Publish(batch);
        }

        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));
        var expected = Enumerable.Range(0, events).Select(i => $"e-{i}").ToList();
        Assert.Equal(expected, received[0]);
        Assert.Equal(expected, received[1]);
        Assert.False(a.Overflowed);
        Assert.Equal(2, hub.SubscriberCount);
    }

    [Fact]
    public async Task Publish_ToASubscriberThatFallsBehind_DropsItAndKeepsTheOthers()
    {
        await using var hub = new EventBroadcaster(new LiveEventsOptions { BufferPerSubscriber = 4 });
        using var slow = hub.TrySubscribe()!;
        using var fast = hub.TrySubscribe()!;

        hub.Publish(Batch(0, 3));
        while (fast.Reader.TryRead(out _))
        {
        }

        // Three more: the slow one (3 buffered of 4) overflows, the drained one does not.
        hub.Publish(Batch(3, 3));

        Assert.True(slow.Overflowed);
        Assert.False(fast.Overflowed);
        Assert.Equal(1, hub.SubscriberCount);
        var kept = new List<string>();
        while (slow.Reader.TryRead(out var e))
        {
            kept.Add(e.Id);
        }

        Assert.Equal(["e-0", "e-1", "e-2", "e-3"], kept);
        Assert.True(slow.Reader.Completion.IsCompleted);
        Assert.Equal(3, fast.Reader.Count);
    }

    [Fact]
    public async Task TrySubscribe_PastTheLimit_IsRefusedUntilOneLeaves()
    {
        await using var hub = new EventBroadcaster(new LiveEventsOptions { MaxSubscribers = 2 });
        var first = hub.TrySubscribe();
        using var second = hub.TrySubscribe();
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(hub.TrySubscribe());
        first!.Dispose();
        using var third = hub.TrySubscribe();
        Assert.NotNull(third);
    }

    [Fact]
    public async Task Dispose_CompletesEverySubscriberWithoutOverflow()
    {
        var hub = new EventBroadcaster();
        using var subscription = hub.TrySubscribe()!;
        hub.Publish(Batch(0, 2));
        await hub.DisposeAsync();
        Assert.Equal(2, subscription.Reader.Count);
        Assert.False(subscription.Overflowed);
        Assert.Null(hub.TrySubscribe());
        hub.Publish(Batch(2, 1));
        Assert.Equal(2, subscription.Reader.Count);
    }

    [Fact]
    public void Options_Invalid_NameTheSetting()
    {
        Assert.Contains("maxSubscribers", Assert.Throws<ArgumentException>(() => new LiveEventsOptions { MaxSubscribers = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("bufferPerSubscriber", Assert.Throws<ArgumentException>(() => new LiveEventsOptions { BufferPerSubscriber = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("heartbeat", Assert.Throws<ArgumentException>(() => new LiveEventsOptions { Heartbeat = TimeSpan.Zero }.Validate()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("autopilot.incident.opened", "incident.opened")]
    [InlineData("autopilot.incident.updated", "incident.updated")]
    [InlineData("autopilot.incident.resolved", "incident.resolved")]
    [InlineData("autopilot.finding.dq.error_rate", "finding")]
    [InlineData("autopilot.finding.slo.burn", "finding")]
    [InlineData("something.else", "message")]
    public void EventName_ByType(string type, string expected) => Assert.Equal(expected, EventStreamEndpoints.EventName(type));

    [Fact]
    public void Append_WritesIdEventAndTheCloudEventOnOneDataLine()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer);
        var e = new CloudEvent("inc-1-5-opened", "urn:autopilot:service:prod:checkout", "autopilot.incident.opened", DateTimeOffset.UnixEpoch,
            new { summary = "line one\nline two", status = "open" });
        EventStreamEndpoints.Append(buffer, json, e);
        EventStreamEndpoints.Append(buffer, json, Event(2, "autopilot.finding.dq.error_rate"));

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        var messages = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, messages.Length);
        var lines = messages[0].Split('\n');
        Assert.Equal(["id: inc-1-5-opened", "event: incident.opened"], lines[..2]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("data: ", lines[2], StringComparison.Ordinal);
        using var data = JsonDocument.Parse(lines[2]["data: ".Length..]);
        Assert.Equal("autopilot.incident.opened", data.RootElement.GetProperty("type").GetString());
        Assert.Equal("1.0", data.RootElement.GetProperty("specversion").GetString());
        Assert.Equal("line one\nline two", data.RootElement.GetProperty("data").GetProperty("summary").GetString());
        Assert.Equal("event: finding", messages[1].Split('\n')[1]);
    }
}
