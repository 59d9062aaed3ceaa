using Autopilot.Engines.Anomaly;

namespace Autopilot.Engines.Tests.Anomaly;

public sealed class QuantileSketchTests
{
    [Fact]
    public void Quantile_AboveTheMedian_ScansDown_SameBucketAsScanningUp()
    {
        // Above the median Quantile counts down from the highest bucket; it must land where counting up lands, for
        // sketches with gaps, ties, one value, values out of range, and every rank near the ends.
        var random = new Random(20261207);
        double[] qs = [0, 0.001, 0.25, 0.5, 0.5001, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
        for (var round = 0; round < 500; round++)
        {
            var sketch = new QuantileSketch();
            var n = random.Next(1, 400);
            for (var i = 0; i < n; i++)
            {
                sketch.Add(random.Next(6) switch
                {
                    0 => 0,
                    1 => 1e9,
                    2 => 250,
                    _ => Math.Exp(random.NextDouble() * 12) / 100,
                });
            }

            foreach (var q in qs)
            {
                Assert.Equal(sketch.QuantileScanningUp(q), sketch.Quantile(q));
            }

            var k = random.NextDouble();
            Assert.Equal(sketch.QuantileScanningUp(k), sketch.Quantile(k));
        }
    }

    [Fact]
    public void Quantile_NearestRank_FromEitherEnd()
    {
        var sketch = new QuantileSketch();
        foreach (var v in new double[] { 1, 2, 3, 4, 100 })
        {
            sketch.Add(v);
        }

        // Nearest rank over 5 values: q 0.8 is the 4th (4 ms), anything above it the 5th (100 ms), each within the
        // sketch's 2 % of a true value; q 0 the smallest.
        Assert.Equal(4, sketch.Quantile(0.8), 0.02 * 4);
        Assert.Equal(100, sketch.Quantile(0.81), 0.02 * 100);
        Assert.Equal(100, sketch.Quantile(0.99), 0.02 * 100);
        Assert.Equal(1, sketch.Quantile(0), 0.02 * 1);
        Assert.True(double.IsNaN(new QuantileSketch().Quantile(0.99)));
    }
}
