using Autopilot.Engines.Anomaly;

namespace Autopilot.Engines.Tests.Anomaly;

public sealed class EwmTests
{
    /// <summary>
    /// <see cref="Ewm.Add"/> skips the division 1/n once it is certainly below the rate; the mean and variance must stay
    /// those of the rate max(alpha, 1/n) to the last bit, through the start, the hand-over and long after it.
    /// </summary>
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(0.05)]
    [InlineData(0.002)]
    [InlineData(0.001)]
    [InlineData(0.3)]
    public void Add_SameBitsAsTheRateMaxOfAlphaAndOneOverN(double alpha)
    {
        var random = new Random(20261207);
        var ewm = default(Ewm);
        double mean = 0, variance = 0;
        for (var n = 1L; n <= 5_000; n++)
        {
            var x = (random.NextDouble() * 1_000) - 300;
            ewm.Add(x, alpha);

            var a = Math.Max(alpha, 1.0 / n);
            var d = x - mean;
            mean += a * d;
            variance = (1 - a) * (variance + (a * d * d));

            Assert.Equal(n, ewm.Count);
            Assert.Equal(BitConverter.DoubleToInt64Bits(mean), BitConverter.DoubleToInt64Bits(ewm.Mean));
            Assert.Equal(BitConverter.DoubleToInt64Bits(variance), BitConverter.DoubleToInt64Bits(ewm.Variance));
        }
    }
}
