using Autopilot.Engines.Anomaly;

namespace Autopilot.Engines.Tests.Anomaly;

public sealed class WindowPatternMemoryTests
{
    private static double Feed(ref WindowPatternMemory memory, float[] shape, int repeats, ref long now)
    {
        var last = 0.0;
        for (var r = 0; r < repeats; r++)
        {
            foreach (var v in shape)
            {
                last = Math.Max(last, memory.Learn(v, ++now));
            }
        }

        return last;
    }

    [Fact]
    public void Learn_RepeatedShape_BecomesUnsurprising_NewShapeIsSurprising()
    {
        var memory = new WindowPatternMemory(window: 4, categories: 16, vigilance: 0.9, learningRate: 0.1);
        float[] saw = [0f, 0.25f, 0.5f, 0.75f];
        long now = 0;

        Feed(ref memory, saw, 20, ref now);
        var known = Feed(ref memory, saw, 5, ref now);
        var shapes = memory.Categories;

        // After the saw's last value 0.75, a run at the top gives windows no cycle of the saw ever had.
        var novel = Feed(ref memory, [1f, 1f, 1f, 1f], 1, ref now);

        Assert.Equal(0.0, known);
        Assert.True(novel > 0.1, $"distance of an unseen flat top was {novel}");
        Assert.Equal(4, shapes); // the saw's four rotations
    }

    [Fact]
    public void Learn_MoreShapesThanCategories_StaysBoundedAndForgetsTheOldest()
    {
        // Windows of one value: each level is one shape, so which shape is forgotten is plain to see.
        var memory = new WindowPatternMemory(window: 1, categories: 3, vigilance: 0.95, learningRate: 0.1);
        long now = 0;
        foreach (var level in new[] { 0f, 0.5f, 1f, 0.25f })
        {
            Feed(ref memory, [level], 10, ref now);
        }

        Assert.Equal(3, memory.Categories);

        // 0 was the least recently used level when 0.25 arrived, so it is gone; 1 is still known.
        var recent = Feed(ref memory, [1f], 3, ref now);
        var forgotten = Feed(ref memory, [0f], 3, ref now);

        Assert.Equal(0.0, recent);
        Assert.Equal(0.25, forgotten, 5);
        Assert.Equal(3, memory.Categories);
    }
}
