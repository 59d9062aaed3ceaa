using Autopilot.Engines.Hosting;

namespace Autopilot.Engines.Tests.Hosting;

/// <summary>
/// <see cref="RecencyList{T}"/> against a plain list kept in recency order: after any mix of adds, touches and
/// removes (slots handed out again), both hold the same values in the same order and each value keeps its slot.
/// </summary>
public sealed class RecencyListTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 2)]
    [InlineData(10_000, 3)]
    public void Operations_RandomMix_MatchListModel(int steps, int seed)
    {
        var random = new Random(seed);
        var list = new RecencyList<string>();
        var model = new List<string>(); // index 0 = oldest
        var slots = new Dictionary<string, int>();
        for (var step = 0; step < steps; step++)
        {
            var roll = random.Next(3);
            if (roll == 0 || model.Count == 0)
            {
                var value = "v" + step;
                slots[value] = list.AddNewest(value);
                model.Add(value);
            }
            else
            {
                var value = model[random.Next(model.Count)];
                model.Remove(value);
                if (roll == 1)
                {
                    list.Touch(slots[value]);
                    model.Add(value);
                }
                else
                {
                    list.Remove(slots[value]);
                    slots.Remove(value);
                }
            }

            Assert.Equal(model, Values(list, slots));
        }

        list.Clear();
        Assert.Empty(Values(list, []));
        Assert.Equal(RecencyList<string>.None, list.Newest);
    }

    private static List<string> Values(RecencyList<string> list, Dictionary<string, int> slots)
    {
        var values = new List<string>();
        for (var i = list.Oldest; i != RecencyList<string>.None; i = list.Newer(i))
        {
            var value = list.ValueAt(i);
            Assert.Equal(slots[value], i);
            values.Add(value);
        }

        Assert.Equal(list.Count, values.Count);
        Assert.Equal(values.Count == 0 ? RecencyList<string>.None : slots[values[^1]], list.Newest);
        return values;
    }
}
