using Autopilot.Engines.Hosting;

namespace Autopilot.Engines.Tests.Hosting;

public sealed class UrnSlotsTests
{
    [Fact]
    public void SlotOf_SameTextAnyInstance_SameSlot_OtherTextsDenseAndDistinct()
    {
        var slots = new UrnSlots();
        var a = "urn:autopilot:service:shop:" + "a";
        var aAgain = string.Concat("urn:autopilot:service:shop:", "a");
        Assert.NotSame(a, aAgain);

        Assert.Equal(0, slots.SlotOf(a));
        Assert.Equal(1, slots.SlotOf("urn:autopilot:service:shop:b"));
        Assert.Equal(0, slots.SlotOf(aAgain));
        Assert.Equal(0, slots.SlotOf(a));
        Assert.Equal(2, slots.SlotOf("urn:autopilot:service:shop:c"));
        Assert.Equal(3, slots.Count);
    }

    [Fact]
    public void SlotOf_MoreUrnsThanSlots_StartsOver_AndACacheEntryOfTheOldNumberingMisses()
    {
        var slots = new UrnSlots();
        var cache = new UrnCache<string>();
        const string first = "urn:autopilot:service:shop:first";
        var slot = slots.SlotOf(first);
        cache.Set(slot, first, "state of first");
        for (var i = 1; i < UrnSlots.MaxSlots; i++)
        {
            Assert.Equal(i, slots.SlotOf("urn:autopilot:service:shop:" + i));
        }

        // The table is full: the next new URN starts the numbering over and gets the first URN's old slot.
        const string next = "urn:autopilot:service:shop:next";
        Assert.Equal(slot, slots.SlotOf(next));
        Assert.Equal(1, slots.Count);
        Assert.False(cache.TryGet(slot, next, out _));

        // The first URN comes back under a new number; the cache misses there too, and hits only where it was set.
        var again = slots.SlotOf(first);
        Assert.Equal(1, again);
        Assert.False(cache.TryGet(again, first, out _));
        Assert.True(cache.TryGet(slot, first, out var state));
        Assert.Equal("state of first", state);
    }

    [Fact]
    public void UrnCache_HitsOnlyTheSameInstanceInItsSlot_AndIgnoresNoSlot()
    {
        var cache = new UrnCache<string>();
        var urn = "urn:autopilot:service:shop:" + "a";
        cache.Set(300, urn, "a");
        Assert.True(cache.TryGet(300, urn, out var value));
        Assert.Equal("a", value);
        Assert.False(cache.TryGet(300, string.Concat("urn:autopilot:service:shop:", "a"), out _));
        Assert.False(cache.TryGet(299, urn, out _));
        Assert.False(cache.TryGet(-1, urn, out _));

        cache.Set(-1, urn, "none");
        cache.Set(UrnSlots.MaxSlots, urn, "none");
        Assert.False(cache.TryGet(-1, urn, out _));
        Assert.False(cache.TryGet(UrnSlots.MaxSlots, urn, out _));

        cache.Clear();
        Assert.False(cache.TryGet(300, urn, out _));
    }

    [Fact]
    public void EngineContext_SlotOf_SameAsTheTable_NoneForNull()
    {
        var context = EngineContext.Detached();
        const string a = "urn:autopilot:service:shop:a";
        Assert.Equal(-1, context.SlotOf(null));
        Assert.Equal(0, context.SlotOf(a));
        Assert.Equal(0, context.SlotOf(a));
        Assert.Equal(-1, context.SlotOf(null));
        Assert.Equal(1, context.SlotOf("urn:autopilot:service:shop:b"));
        Assert.Equal(0, context.SlotOf(string.Concat("urn:autopilot:service:shop:", "a")));
    }

    [Fact]
    public void UrnNameCache_HitsOnlyTheSameUrnAndNameInstancesInTheirSlot_KeepsUpToFourNamesPerUrn()
    {
        var cache = new UrnNameCache<string>();
        var urn = "urn:autopilot:service:shop:" + "a";
        string[] names = ["n0", "n1", "n2", "n3"];
        foreach (var name in names)
        {
            cache.Set(7, urn, name, "value of " + name);
        }

        foreach (var name in names)
        {
            Assert.True(cache.TryGet(7, urn, name, out var value));
            Assert.Equal("value of " + name, value);
        }

        Assert.False(cache.TryGet(7, string.Concat("urn:autopilot:service:shop:", "a"), "n0", out _));
        Assert.False(cache.TryGet(7, urn, string.Concat("n", "0"), out _));
        Assert.False(cache.TryGet(6, urn, "n0", out _));
        Assert.False(cache.TryGet(-1, urn, "n0", out _));

        // A fifth name replaces one of the four; the other three and the new one still hit, never a wrong value.
        cache.Set(7, urn, "n4", "value of n4");
        Assert.True(cache.TryGet(7, urn, "n4", out var fifth));
        Assert.Equal("value of n4", fifth);
        Assert.Equal(3, names.Count(n => cache.TryGet(7, urn, n, out var v) && v == "value of " + n));

        // The slot handed to another URN: its names take the entries of the old URN first, and the old ones miss.
        const string other = "urn:autopilot:service:shop:other";
        cache.Set(7, other, "n0", "other n0");
        Assert.True(cache.TryGet(7, other, "n0", out var o));
        Assert.Equal("other n0", o);
        Assert.Equal(3, names.Append("n4").Count(n => cache.TryGet(7, urn, n, out _)));

        cache.Clear();
        Assert.False(cache.TryGet(7, other, "n0", out _));
    }
}
