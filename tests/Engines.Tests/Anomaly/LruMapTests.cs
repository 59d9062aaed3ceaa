using Autopilot.Engines.Anomaly;

namespace Autopilot.Engines.Tests.Anomaly;

/// <summary>
/// <see cref="LruMap{TValue}"/> against a plain list kept in recency order: after any mix of lookups, touches, adds
/// (evicting at the cap) and removes, both hold the same entries in the same order, evict the same values, and a
/// written map reads back to the same order.
/// </summary>
public sealed class LruMapTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(10, 3)]
    [InlineData(50, 4)]
    public void Operations_RandomMix_MatchListModel(int capacity, int seed)
    {
        var random = new Random(seed);
        var map = new LruMap<string>(capacity);
        var model = new List<(string Key, string Value)>(); // index 0 = oldest
        var evictedModel = 0L;
        var slots = new Dictionary<string, int>();
        for (var step = 0; step < 5_000; step++)
        {
            var key = "k" + random.Next(capacity * 3);
            var at = model.FindIndex(e => e.Key == key);
            switch (random.Next(4))
            {
                case 0:
                    var found = map.TryGet(key.AsSpan(), out var value, out var slot);
                    Assert.Equal(at >= 0, found);
                    if (found)
                    {
                        Assert.Equal(model[at].Value, value);
                        Assert.Equal(slots[key], slot);
                        model.Add(model[at]);
                        model.RemoveAt(at);
                    }

                    break;
                case 1 when at >= 0:
                    map.Touch(slots[key]);
                    model.Add(model[at]);
                    model.RemoveAt(at);
                    break;
                case 2 when at < 0:
                    var added = "v" + step;
                    var evicted = map.Add(key, added, out var addedSlot);
                    if (model.Count >= capacity)
                    {
                        Assert.Equal(model[0].Value, evicted);
                        slots.Remove(model[0].Key);
                        model.RemoveAt(0);
                        evictedModel++;
                    }
                    else
                    {
                        Assert.Null(evicted);
                    }

                    model.Add((key, added));
                    slots[key] = addedSlot;
                    break;
                case 3 when at >= 0:
                    map.Remove(key);
                    model.RemoveAt(at);
                    slots.Remove(key);
                    break;
            }

            Assert.Equal(model, Entries(map));
            Assert.Equal(evictedModel, map.Evicted);
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            map.Write(writer, (w, v) => w.Write(v));
        }

        buffer.Position = 0;
        var restored = new LruMap<string>(capacity);
        using (var reader = new BinaryReader(buffer))
        {
            restored.Read(reader, (r, _) => r.ReadString());
        }

        Assert.Equal(model, Entries(restored));
        Assert.Equal(evictedModel, restored.Evicted);
    }

    [Fact]
    public void Clear_AfterUse_EmptyAndReusable()
    {
        var map = new LruMap<string>(2);
        map.Add("a", "1");
        map.Add("b", "2");
        Assert.Equal("1", map.Add("c", "3"));
        map.Clear();
        Assert.Equal(0, map.Count);
        Assert.Equal(LruMap<string>.None, map.Oldest);
        Assert.False(map.TryGet("b".AsSpan(), out _));
        Assert.Null(map.Add("d", "4"));
        Assert.Equal([("d", "4")], Entries(map));
    }

    private static List<(string Key, string Value)> Entries(LruMap<string> map)
    {
        var entries = new List<(string, string)>();
        for (var i = map.Oldest; i != LruMap<string>.None; i = map.Newer(i))
        {
            entries.Add((map.KeyAt(i), map.ValueAt(i)));
        }

        Assert.Equal(map.Count, entries.Count);
        return entries;
    }
}
